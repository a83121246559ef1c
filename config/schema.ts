/**
 * Every setting the provider reads, declared once: its variable, its type, its default and what
 * it means. `.env.example` and the README are checked against this list by a unit test, so the
 * documentation cannot drift from the code.
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const seconds = z.coerce.number({ error: 'must be a number of seconds' }).int().positive();
const positiveInt = z.coerce.number({ error: 'must be a whole number' }).int().positive();

const url = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

/**
 * Claims a custom claim name must not shadow: JWT registered claims, the ones oidc-provider
 * sets, and the OpenID Connect standard claims.
 */
const RESERVED_CLAIMS = new Set([
  'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'client_id', 'azp', 'nonce', 'acr', 'amr', 'auth_time', 'sid',
  'at_hash', 'c_hash', 's_hash', 'cnf', 'typ', 'act', 'may_act', 'events', 'txn', 'claims', 'updated_at',
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
  'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address',
]);

const claimName = z
  .string()
  .regex(/^[A-Za-z0-9_.:/~-]{1,200}$/, 'must be 1-200 letters, digits or _ . : / ~ - (a short name or a URI)')
  .refine((name) => !RESERVED_CLAIMS.has(name), 'must not be a registered JWT or OpenID Connect claim name');

export interface Setting {
  readonly schema: z.ZodType;
  readonly description: string;
  /** Shown in .env.example; undefined means the setting is optional with no default. */
  readonly default?: string;
}

export const settings = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']),
    default: 'development',
    description: 'development | test | production. Production refuses insecure settings at startup.',
  },
  HOST: { schema: z.string().min(1), default: '0.0.0.0', description: 'Interface the HTTP server binds to.' },
  PORT: { schema: z.coerce.number().int().min(0).max(65535), default: '3000', description: 'TCP port of the HTTP server.' },
  ISSUER: {
    // zod runs this refinement even when the URL check above failed: parse without throwing.
    schema: url(['http:', 'https:']).refine((v) => {
      const parsed = URL.parse(v);
      return !parsed || (!parsed.search && !parsed.hash);
    }, 'must not have a query or fragment'),
    description: 'Public issuer URL (OpenID Connect `iss`). Defaults to http://localhost:PORT in development.',
  },
  TRUST_PROXY: {
    schema: bool,
    default: 'false',
    description: 'Trust X-Forwarded-* headers from a TLS-terminating reverse proxy. Required in production.',
  },
  DATABASE_URL: {
    schema: url(['postgres:', 'postgresql:']),
    description: 'Postgres connection string. Unset: the embedded PGlite database in DATA_DIR (development only).',
  },
  DATABASE_POOL_MAX: { schema: positiveInt, default: '10', description: 'Maximum Postgres connections per process.' },
  DATA_DIR: {
    schema: z.string().min(1),
    default: './data',
    description: 'Directory of the embedded database and of development secrets generated on first start.',
  },
  REDIS_URL: {
    schema: url(['redis:', 'rediss:']),
    description: 'Redis for short-lived artifacts and shared counters. Unset: everything is kept in the database and counters in process.',
  },
  REDIS_KEY_PREFIX: { schema: z.string(), default: 'oidc:', description: 'Prefix of every Redis key this provider writes.' },
  COOKIE_KEYS: {
    schema: z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
      .refine((keys) => keys.length > 0 && keys.every((k) => k.length >= 32), 'must be a comma-separated list of keys of at least 32 characters'),
    description: 'Keys signing cookies, newest first (rotate by prepending). Generated and kept in DATA_DIR in development; required in production.',
  },
  KEY_ENCRYPTION_KEY: {
    schema: z
      .string()
      .refine((v) => Buffer.from(v, 'base64url').length === 32, 'must be 32 random bytes in base64url (openssl rand -base64 32 | tr "+/" "-_" | tr -d =)'),
    description: 'Key encrypting private signing keys and client secrets at rest (AES-256-GCM). Generated and kept in DATA_DIR in development; required in production.',
  },
  SEED_FILE: {
    schema: z.string().min(1),
    description: 'JSON file of clients, APIs and users applied idempotently at every start (config as code).',
  },
  DEMO_CLIENTS: {
    schema: bool,
    description: 'Create the demo confidential and SPA clients. Defaults to true in development; refused in production.',
  },
  BOOTSTRAP_ADMIN: {
    schema: bool,
    default: 'true',
    description: 'On first start with no users, create an `admin` account and print its one-time password.',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'pino log level.',
  },
  ACCESS_TOKEN_TTL: { schema: seconds, default: '3600', description: 'Access token lifetime (s) unless the API sets its own.' },
  CLIENT_CREDENTIALS_TTL: { schema: seconds, default: '600', description: 'Client credentials access token lifetime (s) unless the API sets its own.' },
  ID_TOKEN_TTL: { schema: seconds, default: '3600', description: 'ID token lifetime (s).' },
  AUTHORIZATION_CODE_TTL: { schema: seconds, default: '60', description: 'Authorization code lifetime (s); RFC 9700 asks for short-lived codes.' },
  REFRESH_TOKEN_TTL: { schema: seconds, default: '1209600', description: 'Refresh token lifetime (s); each rotation issues a new one.' },
  SESSION_TTL: { schema: seconds, default: '1209600', description: 'Browser session lifetime at the provider (s).' },
  GRANT_TTL: { schema: seconds, default: '1209600', description: 'Lifetime of a consent (Grant) record (s).' },
  INTERACTION_TTL: { schema: seconds, default: '3600', description: 'Time a user has to finish a login / consent interaction (s).' },
  KEY_ROTATION_OVERLAP: {
    schema: seconds,
    default: '172800',
    description: 'After `keys:rotate`, how long (s) retired signing keys stay published for verification. Must exceed the longest token lifetime.',
  },
  KEY_REFRESH_INTERVAL: {
    schema: seconds,
    default: '60',
    description: 'How often (s) each process checks for rotated signing keys.',
  },
  TOKEN_RATE_LIMIT: {
    schema: positiveInt,
    default: '600',
    description: 'Token endpoint requests allowed per client (public clients: per client and IP) per TOKEN_RATE_LIMIT_WINDOW.',
  },
  TOKEN_RATE_LIMIT_WINDOW: { schema: seconds, default: '60', description: 'Window (s) of TOKEN_RATE_LIMIT and TOKEN_AUTH_FAILURE_LIMIT.' },
  TOKEN_AUTH_FAILURE_LIMIT: {
    schema: positiveInt,
    default: '30',
    description: 'Failed client authentications (401) at the token endpoint allowed per IP per TOKEN_RATE_LIMIT_WINDOW.',
  },
  LOGIN_FAILURE_LIMIT: {
    schema: positiveInt,
    default: '10',
    description: 'Failed sign-ins allowed per login name and IP per LOGIN_FAILURE_WINDOW; ten times as many per IP across all login names.',
  },
  LOGIN_FAILURE_WINDOW: { schema: seconds, default: '900', description: 'Window (s) of LOGIN_FAILURE_LIMIT.' },
  ARGON2_MEMORY_KIB: {
    schema: positiveInt,
    default: '19456',
    description: 'argon2id memory cost (KiB). OWASP minimum: 19 MiB with 2 iterations.',
  },
  ARGON2_TIME_COST: { schema: positiveInt, default: '2', description: 'argon2id iterations.' },
  ARGON2_PARALLELISM: { schema: positiveInt, default: '1', description: 'argon2id lanes.' },
  PURGE_INTERVAL: { schema: seconds, default: '300', description: 'How often (s) expired provider records are purged.' },
  PURGE_BATCH_SIZE: { schema: positiveInt, default: '500', description: 'Rows deleted per purge statement, so a purge never holds long locks.' },
  SIGNUP_ENABLED: {
    schema: bool,
    description: 'Let people create their own accounts at /account/register (and from the sign-in page). Defaults to true in development, false otherwise.',
  },
  PASSWORD_MIN_LENGTH: {
    schema: z.coerce.number({ error: 'must be a whole number' }).int().min(8, 'must be at least 8 (NIST SP 800-63B)').max(64),
    default: '12',
    description: 'Minimum password length for new passwords (NIST SP 800-63B: at least 8; no composition rules; common passwords are refused).',
  },
  VERIFICATION_TTL: { schema: seconds, default: '1800', description: 'Lifetime (s) of email / phone verification links and codes.' },
  PASSWORD_RESET_TTL: { schema: seconds, default: '1800', description: 'Lifetime (s) of a password reset link.' },
  SELF_SERVICE_MESSAGE_LIMIT: {
    schema: positiveInt,
    default: '5',
    description: 'Verification and reset messages allowed per address per SELF_SERVICE_WINDOW; ten times as many per IP.',
  },
  SELF_SERVICE_CODE_LIMIT: {
    schema: positiveInt,
    default: '30',
    description: 'Verification codes that may be tried per IP per SELF_SERVICE_WINDOW (each flow also locks after 5 wrong codes).',
  },
  SELF_SERVICE_WINDOW: { schema: seconds, default: '3600', description: 'Window (s) of SELF_SERVICE_MESSAGE_LIMIT and SELF_SERVICE_CODE_LIMIT.' },
  ACCOUNT_REAUTH_WINDOW: {
    schema: seconds,
    default: '600',
    description: 'How recent (s) a sign-in must be for sensitive changes on /account (email, phone, MFA, sessions); older sessions sign in again first.',
  },
  SHUTDOWN_GRACE: { schema: seconds, default: '10', description: 'On SIGTERM, seconds to let in-flight requests finish.' },
  HTTP_HEADERS_TIMEOUT: { schema: seconds, default: '10', description: 'Seconds a client has to send the request headers before the connection is closed (slow-header attacks).' },
  HTTP_REQUEST_TIMEOUT: { schema: seconds, default: '30', description: 'Seconds a client has to send a whole request, headers and body, before the connection is closed.' },
  HTTP_KEEP_ALIVE_TIMEOUT: {
    schema: seconds,
    default: '65',
    description: 'Seconds an idle keep-alive connection stays open; longer than a load balancer\'s idle timeout (commonly 60 s), so the balancer closes first.',
  },
  CLIENT_REGISTRATION_ENABLED: {
    schema: bool,
    default: 'false',
    description: 'Dynamic client registration (RFC 7591) and management (RFC 7592) at /reg. Needs CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS.',
  },
  CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS: {
    schema: z
      .string()
      .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
      .refine((tokens) => tokens.length > 0 && tokens.every((t) => t.length >= 32), 'must be a comma-separated list of tokens of at least 32 characters'),
    description: 'Initial access tokens a registrant presents as `Authorization: Bearer`, comma-separated (several are valid at once, for rotation). Compared in constant time.',
  },
  ROLES_CLAIM: {
    schema: claimName,
    default: 'roles',
    description: 'Name of the claim listing the user\'s role names (ID token and userinfo with the `roles` scope; JWT access tokens for APIs). A URI such as https://example.com/roles avoids collisions.',
  },
  PERMISSIONS_CLAIM: {
    schema: claimName,
    default: 'permissions',
    description: 'Name of the claim listing what the user\'s roles permit: in ID token and userinfo (`permissions` scope) an object of API identifier → scopes; in a JWT access token the scopes of that API.',
  },
  ADMIN_API_AUDIENCE: {
    schema: url(['http:', 'https:']),
    description: 'Identifier (token audience) of the admin API resource server, registered at every start with the scopes admin:read and admin:write. Defaults to ISSUER/admin/v1.',
  },
  ADMIN_API_TOKEN_TTL: {
    schema: seconds,
    default: '600',
    description: 'Lifetime (s) of access tokens for the admin API: short, as a removed admin role or revoked grant only stops a token at its expiry.',
  },
  AUDIT_RETENTION_DAYS: {
    schema: positiveInt,
    default: '365',
    description: 'Audit records older than this many days are dropped, behind a signed checkpoint that `audit verify` starts from.',
  },
  AUDIT_RETENTION_INTERVAL: { schema: seconds, default: '3600', description: 'How often (s) audit retention runs (bounded batches, one replica at a time).' },
  AUDIT_FLUSH_INTERVAL_MS: {
    schema: positiveInt,
    default: '1000',
    description: 'Audit events are queued in memory and appended at least this often (ms); a hard crash loses at most this much.',
  },
  AUDIT_BATCH_SIZE: {
    // 2000 rows × 15 columns stays under Postgres' 65535 bind parameters per statement.
    schema: positiveInt.max(2000),
    default: '200',
    description: 'Audit events per append transaction (at most 2000); a full batch is flushed at once.',
  },
  AUDIT_QUEUE_MAX: {
    schema: positiveInt,
    default: '10000',
    description: 'Audit events held in memory at most (while the database is slow or down); beyond, events are dropped, logged and counted.',
  },
  METRICS_ENABLED: { schema: bool, default: 'false', description: 'Serve Prometheus metrics at /metrics.' },
  METRICS_TOKEN: {
    schema: z.string().min(32, 'must be at least 32 characters'),
    description: 'Bearer token a scraper must send to /metrics. Required in production when METRICS_ENABLED is true; unset in development: /metrics is open.',
  },
  EMAIL_PROVIDER: {
    schema: z.enum(['smtp', 'ses', 'log']),
    description: 'How email leaves: smtp (SMTP_URL), ses (Amazon SES v2) or log (printed, development only). Unset: smtp when SMTP_URL is set, else log; required in production.',
  },
  EMAIL_FROM: { schema: z.string().min(3), description: 'Sender of every email, e.g. `Example ID <no-reply@example.com>`. Required with smtp or ses.' },
  SMTP_URL: {
    schema: url(['smtp:', 'smtps:']),
    description: 'SMTP server with credentials: smtp://user:pass@host:587 (STARTTLS, required in production) or smtps://user:pass@host:465.',
  },
  AWS_REGION: { schema: z.string().min(1), description: 'AWS region of SES and SNS. Credentials come from the AWS SDK default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity, instance role).' },
  SES_ENDPOINT: { schema: url(['http:', 'https:']), description: 'Override of the SES v2 endpoint (VPC endpoint, LocalStack). Unset: the region\'s.' },
  SES_CONFIGURATION_SET: { schema: z.string().min(1), description: 'SES configuration set sent with every email; give it an SNS event destination to get delivery events.' },
  SES_EVENTS_TOPIC_ARN: {
    schema: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN'),
    description: 'SNS topic whose HTTPS notifications (SES delivery, bounce, complaint events) POST /notifications/v1/callbacks/ses accepts. Unset: that endpoint is off.',
  },
  SMS_PROVIDER: {
    schema: z.enum(['twilio', 'sns', 'log']),
    description: 'How SMS leave: twilio, sns (Amazon SNS) or log (printed, development only). Unset: twilio when TWILIO_ACCOUNT_SID is set, else log; required in production.',
  },
  TWILIO_ACCOUNT_SID: { schema: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an account SID (AC + 32 hex digits)'), description: 'Twilio account SID.' },
  TWILIO_AUTH_TOKEN: { schema: z.string().min(16), description: 'Twilio auth token: authenticates API calls and verifies status callback signatures.' },
  TWILIO_FROM: { schema: z.string().regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, 'must be an E.164 number or a Messaging Service SID'), description: 'Twilio sender: an E.164 number or a Messaging Service SID (MG…).' },
  TWILIO_API_BASE_URL: { schema: url(['http:', 'https:']), default: 'https://api.twilio.com', description: 'Base URL of Twilio\'s REST API (a regional proxy, or a local stand-in in tests).' },
  TWILIO_STATUS_CALLBACKS: { schema: bool, default: 'true', description: 'Ask Twilio to post delivery status to ISSUER/notifications/v1/callbacks/twilio.' },
  SNS_ENDPOINT: { schema: url(['http:', 'https:']), description: 'Override of the SNS endpoint (VPC endpoint, LocalStack). Unset: the region\'s.' },
  SNS_SENDER_ID: { schema: z.string().regex(/^[A-Za-z0-9]{1,11}$/, 'must be 1-11 letters or digits'), description: 'Alphanumeric sender id for SNS SMS, where the destination country supports one.' },
  OUTBOX_WORKER: { schema: bool, default: 'true', description: 'Run the outbox worker (email, SMS, webhooks) in this process. Safe on every replica.' },
  OUTBOX_POLL_INTERVAL: { schema: seconds, default: '2', description: 'How often (s) an idle outbox worker looks for due messages.' },
  OUTBOX_BATCH_SIZE: { schema: positiveInt, default: '10', description: 'Messages one worker claims and delivers concurrently per round.' },
  OUTBOX_MAX_ATTEMPTS: { schema: positiveInt, default: '8', description: 'Delivery attempts per message before it is dead-lettered (with the default backoff, about four hours).' },
  OUTBOX_RETRY_BASE: { schema: seconds, default: '30', description: 'Delay (s) before the second attempt; doubles per attempt, with jitter.' },
  OUTBOX_RETRY_CAP: { schema: seconds, default: '3600', description: 'Longest delay (s) between two attempts.' },
  OUTBOX_LEASE: {
    schema: seconds.min(60, 'must be at least 60: a lease must outlast a delivery\'s timeouts'),
    default: '120',
    description: 'How long (s) a worker holds a claimed message; after that a crashed worker\'s message is retried elsewhere.',
  },
  OUTBOX_RETENTION: {
    schema: seconds,
    default: '2592000',
    description: 'How long (s) delivered and dead-lettered messages, with their delivery logs, are kept (default 30 days); removed by the purge job.',
  },
  WEBHOOK_ALLOWED_NETWORKS: {
    schema: z
      .string()
      .transform((v) => v.split(',').map((n) => n.trim()).filter(Boolean))
      .refine((list) => list.every((n) => /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(n)), 'must be a comma-separated list of CIDR ranges, e.g. 10.20.0.0/16'),
    description: 'Private networks webhook endpoints may resolve to anyway (loopback, private, link-local ranges are refused otherwise).',
  },
  WEBHOOK_TIMEOUT: { schema: seconds.max(30, 'must be at most 30'), default: '10', description: 'Time (s) a webhook endpoint has to answer.' },
  MFA_ENABLED: {
    schema: bool,
    default: 'true',
    description: 'Feature flag for multi-factor authentication. false: no second factor is asked for or offered, whatever clients request.',
  },
  MFA_TRUSTED_DEVICE_TTL: {
    schema: seconds,
    default: '2592000',
    description: 'How long (s) a browser marked "trust this device" skips the second factor (unless a client asks for step-up).',
  },
  MFA_TOTP_ISSUER: {
    schema: z.string().min(1).max(64),
    description: 'Name authenticator apps show for TOTP entries. Defaults to the host name of ISSUER.',
  },
  BRAND_LOGO_URL: {
    schema: url(['https:']),
    description: 'Logo shown at the top of the sign-in pages (an https URL; the pages\' CSP allows https images).',
  },
  GOOGLE_CLIENT_ID: {
    schema: z.string().min(1).max(512),
    description: 'OAuth client id of this provider at Google (https://console.cloud.google.com). Set with GOOGLE_CLIENT_SECRET to offer "Continue with Google"; the redirect URI to register is ISSUER/federation/callback.',
  },
  GOOGLE_ISSUER: {
    schema: url(['http:', 'https:']),
    default: 'https://accounts.google.com',
    description: 'Issuer of "Continue with Google". Change it only to point at a local stand-in in tests (http needs FEDERATION_ALLOW_HTTP_ISSUERS outside production).',
  },
  GOOGLE_CLIENT_SECRET: { schema: z.string().min(1).max(512), description: 'OAuth client secret of this provider at Google (required with GOOGLE_CLIENT_ID).' },
  UPSTREAM_OIDC_PROVIDERS: {
    schema: z.string().min(2),
    description:
      'Further upstream OpenID Providers to sign in with, as JSON: [{"id":"corp","name":"Corp SSO","issuer":"https://sso.example.com","client_id":"…","client_secret":"…"}]. Discovered from the issuer; redirect URI ISSUER/federation/callback.',
  },
  FEDERATION_AUTO_REGISTER: {
    schema: bool,
    default: 'false',
    description: 'Create an account on the first sign-in with an upstream provider whose account is not linked yet (email and email_verified taken from the upstream).',
  },
  FEDERATION_LINK_BY_EMAIL: {
    schema: bool,
    default: 'false',
    description: 'On a first upstream sign-in whose email (asserted verified by the upstream) belongs to an existing account, offer to link them once the user enters that account\'s password.',
  },
  FEDERATION_TRUST_UPSTREAM_MFA: {
    schema: bool,
    default: 'false',
    description: 'Accept an upstream ID token whose amr says "mfa" as multi-factor for our MFA policy (acr). false: our own second factor is still asked for when the policy needs one.',
  },
  FEDERATION_ALLOW_HTTP_ISSUERS: {
    schema: bool,
    default: 'false',
    description: 'Allow http:// upstream issuers (local test issuers). Refused in production: upstream issuers must be https there.',
  },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof settings;
