/**
 * Reads the environment once, validates it against the schema, and refuses insecure settings in
 * production. Every message names the variable so an operator knows what to fix.
 */
import { z } from 'zod';
import { settings, type SettingName } from './schema.js';
import { readDeliverySettings, type DeliverySettings } from './channels.js';
import { readFederationSettings, type FederationSettings } from './federation.js';

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  issuer: string;
  trustProxy: boolean;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  dataDir: string;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** Undefined outside production until development secrets are filled in at boot. */
  cookieKeys: string[] | undefined;
  keyEncryptionKey: string | undefined;
  seedFile: string | undefined;
  demoClients: boolean;
  bootstrapAdmin: boolean;
  logLevel: string;
  ttl: {
    accessToken: number;
    clientCredentials: number;
    idToken: number;
    authorizationCode: number;
    refreshToken: number;
    session: number;
    grant: number;
    interaction: number;
  };
  keyRotationOverlap: number;
  keyRefreshInterval: number;
  tokenRateLimit: { points: number; windowSeconds: number; authFailures: number };
  loginFailures: { points: number; windowSeconds: number };
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  purge: { intervalSeconds: number; batchSize: number };
  shutdownGraceSeconds: number;
  /** Node HTTP server timeouts (HTTP_HEADERS_TIMEOUT, HTTP_REQUEST_TIMEOUT, HTTP_KEEP_ALIVE_TIMEOUT). */
  http: { headersTimeoutSeconds: number; requestTimeoutSeconds: number; keepAliveTimeoutSeconds: number };
  /** Names of the claims carrying role names and permissions (ROLES_CLAIM, PERMISSIONS_CLAIM). */
  claimNames: { roles: string; permissions: string };
  /** Dynamic client registration; `initialAccessTokens` is non-empty when enabled. */
  registration: { enabled: boolean; initialAccessTokens: string[] };
  /** The admin API as a resource server: its audience and the lifetime of its tokens. */
  adminApi: { audience: string; tokenTtl: number };
  audit: { retentionDays: number; retentionIntervalSeconds: number; flushIntervalMs: number; batchSize: number; maxQueue: number };
  metrics: { enabled: boolean; token: string | undefined };
  /** Email, SMS, outbox and webhook delivery (config/channels.ts). */
  delivery: DeliverySettings;
  selfService: {
    registration: boolean;
    passwordMinLength: number;
    verificationTtl: number;
    resetTtl: number;
    messageLimit: number;
    codeLimit: number;
    windowSeconds: number;
    reauthWindow: number;
  };
  mfa: { enabled: boolean; trustedDeviceTtlSeconds: number; totpIssuer: string };
  brandLogoUrl: string | undefined;
  /** Upstream OpenID Providers (config/federation.ts). */
  federation: FederationSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Raw = { [K in SettingName]: z.output<(typeof settings)[K]['schema']> | undefined };

function parseAll(env: Record<string, string | undefined>, only?: ReadonlySet<string>): { raw: Raw; problems: string[] } {
  const problems: string[] = [];
  const raw = {} as Record<string, unknown>;
  for (const [name, setting] of Object.entries(settings)) {
    if (only && !only.has(name)) continue;
    const given = env[name];
    const value = given === undefined || given === '' ? ('default' in setting ? setting.default : undefined) : given;
    if (value === undefined) {
      raw[name] = undefined;
      continue;
    }
    const result = setting.schema.safeParse(value);
    if (result.success) raw[name] = result.data;
    else problems.push(`${name} ${result.error.issues.map((i) => i.message).join('; ')} (got ${JSON.stringify(redact(name, value))})`);
  }
  return { raw: raw as Raw, problems };
}

const SECRET_SETTINGS = new Set<string>(['COOKIE_KEYS', 'KEY_ENCRYPTION_KEY', 'DATABASE_URL', 'REDIS_URL', 'CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS', 'METRICS_TOKEN', 'SMTP_URL', 'TWILIO_AUTH_TOKEN', 'GOOGLE_CLIENT_SECRET', 'UPSTREAM_OIDC_PROVIDERS']);
function redact(name: string, value: string): string {
  return SECRET_SETTINGS.has(name) ? `<${value.length} characters>` : value;
}

function productionProblems(raw: Raw): string[] {
  const problems: string[] = [];
  const issuer = raw.ISSUER as string | undefined;
  if (!issuer) problems.push('ISSUER is required in production (the public https URL of this provider)');
  else if (new URL(issuer).protocol !== 'https:') problems.push('ISSUER must be an https URL in production');
  if (!raw.TRUST_PROXY) {
    problems.push('TRUST_PROXY must be true in production: TLS is terminated by a reverse proxy in front of this process');
  }
  if (!raw.COOKIE_KEYS) problems.push('COOKIE_KEYS is required in production');
  if (!raw.KEY_ENCRYPTION_KEY) problems.push('KEY_ENCRYPTION_KEY is required in production');
  if (!raw.DATABASE_URL) problems.push('DATABASE_URL is required in production: the embedded database is for development only');
  if (raw.DEMO_CLIENTS === true) problems.push('DEMO_CLIENTS must not be true in production');
  if (raw.METRICS_ENABLED === true && !raw.METRICS_TOKEN) problems.push('METRICS_TOKEN is required in production when METRICS_ENABLED is true: /metrics must not be served unauthenticated');
  return problems;
}

/**
 * @throws ConfigError listing every invalid or missing variable at once.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { raw, problems } = parseAll(env);
  if (raw.NODE_ENV === 'production') problems.push(...productionProblems(raw));
  const delivery = readDeliverySettings(raw, raw.NODE_ENV === 'production');
  problems.push(...delivery.problems);
  const federation = readFederationSettings(raw, raw.NODE_ENV === 'production');
  problems.push(...federation.problems);
  if (problems.length) throw new ConfigError(problems);

  const port = raw.PORT as number;
  const ttl = {
    accessToken: raw.ACCESS_TOKEN_TTL as number,
    clientCredentials: raw.CLIENT_CREDENTIALS_TTL as number,
    idToken: raw.ID_TOKEN_TTL as number,
    authorizationCode: raw.AUTHORIZATION_CODE_TTL as number,
    refreshToken: raw.REFRESH_TOKEN_TTL as number,
    session: raw.SESSION_TTL as number,
    grant: raw.GRANT_TTL as number,
    interaction: raw.INTERACTION_TTL as number,
  };
  const overlap = raw.KEY_ROTATION_OVERLAP as number;
  const longestSigned = Math.max(ttl.accessToken, ttl.clientCredentials, ttl.idToken);
  if (overlap <= longestSigned) {
    throw new ConfigError([
      `KEY_ROTATION_OVERLAP (${overlap}s) must exceed the longest signed token lifetime (${longestSigned}s), or tokens signed with a retired key stop verifying early`,
    ]);
  }

  if (raw.CLIENT_REGISTRATION_ENABLED && !raw.CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS) {
    throw new ConfigError(['CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS is required when CLIENT_REGISTRATION_ENABLED is true: open registration is not offered']);
  }
  if (raw.ROLES_CLAIM === raw.PERMISSIONS_CLAIM) {
    throw new ConfigError([`ROLES_CLAIM and PERMISSIONS_CLAIM must differ (both are ${JSON.stringify(raw.ROLES_CLAIM)})`]);
  }
  if (overlap <= (raw.ADMIN_API_TOKEN_TTL as number)) {
    throw new ConfigError([`KEY_ROTATION_OVERLAP (${overlap}s) must exceed ADMIN_API_TOKEN_TTL (${raw.ADMIN_API_TOKEN_TTL as number}s)`]);
  }

  return {
    env: raw.NODE_ENV as Config['env'],
    host: raw.HOST as string,
    port,
    issuer: ((raw.ISSUER as string | undefined) ?? `http://localhost:${port}`).replace(/\/$/, ''),
    trustProxy: raw.TRUST_PROXY as boolean,
    databaseUrl: raw.DATABASE_URL as string | undefined,
    databasePoolMax: raw.DATABASE_POOL_MAX as number,
    dataDir: raw.DATA_DIR as string,
    redisUrl: raw.REDIS_URL as string | undefined,
    redisKeyPrefix: raw.REDIS_KEY_PREFIX as string,
    cookieKeys: raw.COOKIE_KEYS as string[] | undefined,
    keyEncryptionKey: raw.KEY_ENCRYPTION_KEY as string | undefined,
    seedFile: raw.SEED_FILE as string | undefined,
    demoClients: (raw.DEMO_CLIENTS as boolean | undefined) ?? raw.NODE_ENV === 'development',
    bootstrapAdmin: raw.BOOTSTRAP_ADMIN as boolean,
    logLevel: raw.LOG_LEVEL as string,
    ttl,
    keyRotationOverlap: overlap,
    keyRefreshInterval: raw.KEY_REFRESH_INTERVAL as number,
    tokenRateLimit: {
      points: raw.TOKEN_RATE_LIMIT as number,
      windowSeconds: raw.TOKEN_RATE_LIMIT_WINDOW as number,
      authFailures: raw.TOKEN_AUTH_FAILURE_LIMIT as number,
    },
    loginFailures: { points: raw.LOGIN_FAILURE_LIMIT as number, windowSeconds: raw.LOGIN_FAILURE_WINDOW as number },
    argon2: {
      memoryCost: raw.ARGON2_MEMORY_KIB as number,
      timeCost: raw.ARGON2_TIME_COST as number,
      parallelism: raw.ARGON2_PARALLELISM as number,
    },
    purge: { intervalSeconds: raw.PURGE_INTERVAL as number, batchSize: raw.PURGE_BATCH_SIZE as number },
    shutdownGraceSeconds: raw.SHUTDOWN_GRACE as number,
    http: {
      headersTimeoutSeconds: raw.HTTP_HEADERS_TIMEOUT as number,
      requestTimeoutSeconds: raw.HTTP_REQUEST_TIMEOUT as number,
      keepAliveTimeoutSeconds: raw.HTTP_KEEP_ALIVE_TIMEOUT as number,
    },
    claimNames: { roles: raw.ROLES_CLAIM as string, permissions: raw.PERMISSIONS_CLAIM as string },
    registration: {
      enabled: raw.CLIENT_REGISTRATION_ENABLED as boolean,
      initialAccessTokens: (raw.CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS as string[] | undefined) ?? [],
    },
    adminApi: {
      audience: ((raw.ADMIN_API_AUDIENCE as string | undefined) ?? `${((raw.ISSUER as string | undefined) ?? `http://localhost:${port}`).replace(/\/$/, '')}/admin/v1`),
      tokenTtl: raw.ADMIN_API_TOKEN_TTL as number,
    },
    audit: {
      retentionDays: raw.AUDIT_RETENTION_DAYS as number,
      retentionIntervalSeconds: raw.AUDIT_RETENTION_INTERVAL as number,
      flushIntervalMs: raw.AUDIT_FLUSH_INTERVAL_MS as number,
      batchSize: raw.AUDIT_BATCH_SIZE as number,
      maxQueue: raw.AUDIT_QUEUE_MAX as number,
    },
    metrics: { enabled: raw.METRICS_ENABLED as boolean, token: raw.METRICS_TOKEN as string | undefined },
    delivery: delivery.settings,
    selfService: {
      registration: (raw.SIGNUP_ENABLED as boolean | undefined) ?? raw.NODE_ENV === 'development',
      passwordMinLength: raw.PASSWORD_MIN_LENGTH as number,
      verificationTtl: raw.VERIFICATION_TTL as number,
      resetTtl: raw.PASSWORD_RESET_TTL as number,
      messageLimit: raw.SELF_SERVICE_MESSAGE_LIMIT as number,
      codeLimit: raw.SELF_SERVICE_CODE_LIMIT as number,
      windowSeconds: raw.SELF_SERVICE_WINDOW as number,
      reauthWindow: raw.ACCOUNT_REAUTH_WINDOW as number,
    },
    mfa: {
      enabled: raw.MFA_ENABLED as boolean,
      trustedDeviceTtlSeconds: raw.MFA_TRUSTED_DEVICE_TTL as number,
      totpIssuer: (raw.MFA_TOTP_ISSUER as string | undefined) ?? new URL((raw.ISSUER as string | undefined) ?? `http://localhost:${port}`).hostname,
    },
    brandLogoUrl: raw.BRAND_LOGO_URL as string | undefined,
    federation: federation.settings,
  };
}

export interface DatabaseSettings {
  env: Config['env'];
  databaseUrl: string | undefined;
  databasePoolMax: number;
  dataDir: string;
}

const DATABASE_SETTINGS = new Set<string>(['NODE_ENV', 'DATABASE_URL', 'DATABASE_POOL_MAX', 'DATA_DIR']);

/**
 * Just what reaching the database takes, for operator commands such as `migrate` that must run
 * before (and without) the rest of the production configuration.
 * @throws ConfigError as loadConfig does; in production DATABASE_URL is required.
 */
export function loadDatabaseSettings(env: Record<string, string | undefined> = process.env): DatabaseSettings {
  const { raw, problems } = parseAll(env, DATABASE_SETTINGS);
  if (raw.NODE_ENV === 'production' && !raw.DATABASE_URL) problems.push('DATABASE_URL is required in production: the embedded database is for development only');
  if (problems.length) throw new ConfigError(problems);
  return {
    env: raw.NODE_ENV as Config['env'],
    databaseUrl: raw.DATABASE_URL as string | undefined,
    databasePoolMax: raw.DATABASE_POOL_MAX as number,
    dataDir: raw.DATA_DIR as string,
  };
}
