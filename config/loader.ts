/**
 * Reads the environment once: parses every section (config/settings/), applies the cross-field
 * and production rules, and reports every problem at once in one ConfigError, each naming its
 * variable. Warnings (misspelt variables, settings to change before production) travel with the
 * result for the boot code to log.
 */
import { channelFeatures, readDeliverySettings } from './channels.js';
import type { Config } from './config.js';
import { misspeltVariables } from './did-you-mean.js';
import { readFederationSettings } from './federation.js';
import { readHighSecuritySettings } from './high-security.js';
import { parseEnv, type EnvInput } from './parse.js';
import { ConfigError, type Problem } from './problems.js';
import { crossFieldProblems } from './rules/cross-field.js';
import { mustChange } from './rules/production.js';
import { envSchema, settingNames, type Env } from './schema.js';

export type { Config } from './config.js';
export { ConfigError } from './problems.js';

/** Rules about a variable already refused for its own value would only repeat or mislead. */
function report(problems: Problem[], invalid: ReadonlySet<string>): string[] {
  return problems.filter((p) => !p.variables.some((v) => invalid.has(v))).map((p) => p.message);
}

const trimSlash = (url: string): string => url.replace(/\/$/, '');

function toConfig(env: Env, parts: Pick<Config, 'delivery' | 'federation' | 'highSecurity' | 'warnings'>): Config {
  const issuer = trimSlash(env.ISSUER ?? `http://localhost:${env.PORT}`);
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    issuer,
    trustProxy: env.TRUST_PROXY,
    databaseUrl: env.DATABASE_URL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    databasePoolMax: env.DATABASE_POOL_MAX,
    migrateOnStart: env.MIGRATE_ON_START ?? env.NODE_ENV !== 'production',
    dataDir: env.DATA_DIR,
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    redisCommandTimeoutMs: env.REDIS_COMMAND_TIMEOUT,
    redisSentinels: env.REDIS_SENTINELS ?? [],
    redisSentinelName: env.REDIS_SENTINEL_NAME,
    outageRetryAfterSeconds: env.OUTAGE_RETRY_AFTER,
    http: {
      headersTimeoutSeconds: env.HTTP_HEADERS_TIMEOUT,
      requestTimeoutSeconds: env.HTTP_REQUEST_TIMEOUT,
      keepAliveTimeoutSeconds: env.HTTP_KEEP_ALIVE_TIMEOUT,
    },
    cookieKeys: env.COOKIE_KEYS,
    keyEncryptionKey: env.KEY_ENCRYPTION_KEY,
    seedFile: env.SEED_FILE,
    demoClients: env.DEMO_CLIENTS ?? env.NODE_ENV === 'development',
    bootstrapAdmin: env.BOOTSTRAP_ADMIN,
    logLevel: env.LOG_LEVEL,
    ttl: {
      accessToken: env.ACCESS_TOKEN_TTL,
      clientCredentials: env.CLIENT_CREDENTIALS_TTL,
      idToken: env.ID_TOKEN_TTL,
      authorizationCode: env.AUTHORIZATION_CODE_TTL,
      refreshToken: env.REFRESH_TOKEN_TTL,
      session: env.SESSION_TTL,
      grant: env.GRANT_TTL,
      interaction: env.INTERACTION_TTL,
    },
    refreshTokenReuseWindow: env.REFRESH_TOKEN_REUSE_WINDOW,
    keyRotationOverlap: env.KEY_ROTATION_OVERLAP,
    keyRefreshInterval: env.KEY_REFRESH_INTERVAL,
    tokenRateLimit: { points: env.TOKEN_RATE_LIMIT, windowSeconds: env.TOKEN_RATE_LIMIT_WINDOW, authFailures: env.TOKEN_AUTH_FAILURE_LIMIT },
    deviceFlow: {
      codeTtl: env.DEVICE_CODE_TTL,
      pollInterval: env.DEVICE_POLL_INTERVAL,
      guessesPerIp: env.DEVICE_USER_CODE_LIMIT_IP,
      guessesTotal: env.DEVICE_USER_CODE_LIMIT_TOTAL,
      guessWindowSeconds: env.DEVICE_USER_CODE_LIMIT_WINDOW,
    },
    tokenExchange: { trustedIssuers: env.TOKEN_EXCHANGE_TRUSTED_ISSUERS ?? [] },
    loginFailures: {
      points: env.LOGIN_FAILURE_LIMIT,
      windowSeconds: env.LOGIN_FAILURE_WINDOW,
      lockoutWindowSeconds: env.LOCKOUT_WINDOW,
      perIpFactor: env.LOGIN_FAILURE_IP_FACTOR,
    },
    argon2: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM },
    purge: { intervalSeconds: env.PURGE_INTERVAL, batchSize: env.PURGE_BATCH_SIZE },
    shutdownGraceSeconds: env.SHUTDOWN_GRACE,
    claimNames: { roles: env.ROLES_CLAIM, permissions: env.PERMISSIONS_CLAIM },
    registration: { enabled: env.CLIENT_REGISTRATION_ENABLED, initialAccessTokens: env.CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS ?? [] },
    highSecurity: parts.highSecurity,
    adminApi: { audience: env.ADMIN_API_AUDIENCE ?? `${issuer}/admin/v1`, tokenTtl: env.ADMIN_API_TOKEN_TTL },
    console: { enabled: env.CONSOLE_ENABLED, mfaRequired: env.CONSOLE_MFA_REQUIRED ?? env.NODE_ENV === 'production', apiUrl: trimSlash(env.CONSOLE_API_URL ?? issuer) },
    audit: {
      retentionDays: env.AUDIT_RETENTION_DAYS,
      retentionIntervalSeconds: env.AUDIT_RETENTION_INTERVAL,
      flushIntervalMs: env.AUDIT_FLUSH_INTERVAL_MS,
      batchSize: env.AUDIT_BATCH_SIZE,
      maxQueue: env.AUDIT_QUEUE_MAX,
    },
    metrics: { enabled: env.METRICS_ENABLED, token: env.METRICS_TOKEN },
    delivery: parts.delivery,
    features: channelFeatures(env),
    selfService: {
      registration: channelFeatures(env).signup,
      passwordMinLength: env.PASSWORD_MIN_LENGTH,
      verificationTtl: env.VERIFICATION_TTL,
      resetTtl: env.PASSWORD_RESET_TTL,
      messageLimit: env.SELF_SERVICE_MESSAGE_LIMIT,
      codeLimit: env.SELF_SERVICE_CODE_LIMIT,
      windowSeconds: env.SELF_SERVICE_WINDOW,
      reauthWindow: env.ACCOUNT_REAUTH_WINDOW,
      perIpFactor: env.SELF_SERVICE_IP_FACTOR,
    },
    mfa: {
      enabled: env.MFA_ENABLED,
      trustedDeviceTtlSeconds: env.MFA_TRUSTED_DEVICE_TTL,
      totpIssuer: env.MFA_TOTP_ISSUER ?? new URL(issuer).hostname,
      smsResendIntervalSeconds: env.SMS_RESEND_INTERVAL,
    },
    passkeys: {
      enabled: env.PASSKEYS_ENABLED,
      offer: env.PASSKEYS_ENABLED && env.PASSKEY_OFFER_ENABLED,
      rpId: env.WEBAUTHN_RP_ID ?? new URL(issuer).hostname,
      origins: [...new Set([new URL(issuer).origin, ...env.WEBAUTHN_RELATED_ORIGINS])],
      aaguidAllowList: env.WEBAUTHN_AAGUID_ALLOWLIST,
    },
    brandName: env.BRAND_NAME ?? new URL(issuer).hostname,
    brandLogoUrl: env.BRAND_LOGO_URL,
    brandPrimaryColor: env.BRAND_PRIMARY_COLOR,
    brandStylesheet: env.BRAND_STYLESHEET,
    homeUrl: env.HOME_URL,
    federation: parts.federation,
    warnings: parts.warnings,
  };
}

/**
 * @throws ConfigError listing every invalid variable, broken cross-field rule and production
 * refusal at once.
 */
export function loadConfig(env: EnvInput = process.env): Config {
  const parsed = parseEnv(envSchema, env);
  const values = parsed.values;
  const production = values.NODE_ENV === 'production';
  const delivery = readDeliverySettings(values, production);
  const federation = readFederationSettings(values, production);
  const highSecurity = readHighSecuritySettings(values);
  const changes = mustChange(values);
  const problems = [
    ...parsed.problems.map((p) => p.message),
    ...report([...changes.problems, ...delivery.problems, ...federation.problems, ...highSecurity.problems, ...crossFieldProblems(values)], parsed.invalid),
  ];
  if (problems.length) throw new ConfigError(problems);
  const warnings = [...misspeltVariables(env, settingNames), ...changes.warnings];
  return toConfig(values, { delivery: delivery.settings, federation: federation.settings, highSecurity: highSecurity.settings, warnings });
}

export interface DatabaseSettings {
  env: Config['env'];
  databaseUrl: string | undefined;
  databasePoolMax: number;
  dataDir: string;
}

const databaseSchema = envSchema.pick({ NODE_ENV: true, DATABASE_URL: true, DATABASE_POOL_MAX: true, DATA_DIR: true });

/**
 * Just what reaching the database takes, for operator commands such as `migrate` that must run
 * before (and without) the rest of the production configuration.
 * @throws ConfigError as loadConfig does; in production DATABASE_URL is required.
 */
export function loadDatabaseSettings(env: EnvInput = process.env): DatabaseSettings {
  const { values, problems, invalid } = parseEnv(databaseSchema, env);
  const messages = problems.map((p) => p.message);
  if (values.NODE_ENV === 'production' && !values.DATABASE_URL && !invalid.has('DATABASE_URL')) {
    messages.push('DATABASE_URL is required in production: the embedded database is for development only');
  }
  if (messages.length) throw new ConfigError(messages);
  return { env: values.NODE_ENV, databaseUrl: values.DATABASE_URL, databasePoolMax: values.DATABASE_POOL_MAX, dataDir: values.DATA_DIR };
}
