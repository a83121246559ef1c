/** The configuration the rest of the code receives: named by meaning, not by variable. */
import type { ChannelFeatures, DeliverySettings } from './channels.js';
import type { FederationSettings } from './federation.js';
import type { HighSecuritySettings } from './high-security.js';

export interface Config {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  issuer: string;
  trustProxy: boolean;
  databaseUrl: string | undefined;
  /** LOG_FORMAT: pretty (development default) or json. */
  logFormat: 'pretty' | 'json';
  databasePoolMax: number;
  /** MIGRATE_ON_START: apply pending migrations at start (else a stale schema stops the start). */
  migrateOnStart: boolean;
  dataDir: string;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** A Redis command failing after this long lets a store outage answer 503 quickly. */
  redisCommandTimeoutMs: number;
  /** Sentinels to find the Redis primary through (empty: REDIS_URL directly). */
  redisSentinels: Array<{ host: string; port: number }>;
  /** The primary's name at the Sentinels; set whenever redisSentinels is not empty. */
  redisSentinelName: string | undefined;
  /** Retry-After (s) of a 503 during a store outage. */
  outageRetryAfterSeconds: number;
  /** Node HTTP server timeouts (s). */
  http: { headersTimeoutSeconds: number; requestTimeoutSeconds: number; keepAliveTimeoutSeconds: number };
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
  /** REFRESH_TOKEN_REUSE_WINDOW (s): a repeated refresh within it gets the same successor. */
  refreshTokenReuseWindow: number;
  keyRotationOverlap: number;
  keyRefreshInterval: number;
  tokenRateLimit: { points: number; windowSeconds: number; authFailures: number };
  /** RFC 8628: code lifetime, polling interval, and wrong user codes allowed per IP and in total per window. */
  deviceFlow: { codeTtl: number; pollInterval: number; guessesPerIp: number; guessesTotal: number; guessWindowSeconds: number };
  /** RFC 8693: issuers whose JWTs may be exchanged (besides our own tokens). */
  tokenExchange: { trustedIssuers: string[] };
  /** Sign-in failures: per login name and IP, per IP (× perIpFactor), and the account lockout memory. */
  loginFailures: { points: number; windowSeconds: number; lockoutWindowSeconds: number; perIpFactor: number };
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
  purge: { intervalSeconds: number; batchSize: number };
  shutdownGraceSeconds: number;
  /** Names of the claims carrying role names and permissions (ROLES_CLAIM, PERMISSIONS_CLAIM). */
  claimNames: { roles: string; permissions: string };
  /** Dynamic client registration; `initialAccessTokens` is non-empty when enabled. */
  registration: { enabled: boolean; initialAccessTokens: string[] };
  /** PAR, DPoP nonces, request objects, mTLS, pairwise subjects (config/high-security.ts). */
  highSecurity: HighSecuritySettings;
  /** The admin API as a resource server: its audience and the lifetime of its tokens. */
  adminApi: { audience: string; tokenTtl: number };
  /** The admin console at /console: whether it is served, whether it needs MFA, where it calls the API. */
  console: { enabled: boolean; mfaRequired: boolean; apiUrl: string };
  audit: { retentionDays: number; retentionIntervalSeconds: number; flushIntervalMs: number; batchSize: number; maxQueue: number };
  metrics: { enabled: boolean; token: string | undefined };
  /** Email, SMS, outbox and webhook delivery (config/channels.ts). */
  delivery: DeliverySettings;
  /** Features that send email or SMS, each on or off (config/channels.ts). */
  features: ChannelFeatures;
  selfService: {
    /** SIGNUP_ENABLED (= features.signup). */
    registration: boolean;
    passwordMinLength: number;
    verificationTtl: number;
    resetTtl: number;
    messageLimit: number;
    codeLimit: number;
    windowSeconds: number;
    reauthWindow: number;
    /** Per-IP message budget = messageLimit × this. */
    perIpFactor: number;
  };
  mfa: { enabled: boolean; trustedDeviceTtlSeconds: number; totpIssuer: string; smsResendIntervalSeconds: number };
  /** Passkeys (WebAuthn): the RP ID, the origins that may use it (the issuer's first), the AAGUID allow-list. */
  passkeys: { enabled: boolean; offer: boolean; rpId: string; origins: string[]; aaguidAllowList: string[] };
  /** Product name on pages and in messages (BRAND_NAME, else the issuer's host name). */
  brandName: string;
  brandLogoUrl: string | undefined;
  /** #rrggbb the page theme is derived from; undefined: the built-in theme. */
  brandPrimaryColor: string | undefined;
  /** Path of an operator stylesheet served as /assets/brand.css. */
  brandStylesheet: string | undefined;
  /** Where / redirects in production; undefined: a minimal page. */
  homeUrl: string | undefined;
  /** Upstream OpenID Providers (config/federation.ts). */
  federation: FederationSettings;
  /**
   * What an operator should look at, logged at start: misspelt variables ("did you mean …?") and,
   * outside production, settings production would refuse, each naming what to set.
   */
  warnings: readonly string[];
}
