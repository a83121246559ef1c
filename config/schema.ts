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
  REGISTRATION_ENABLED: {
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
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof settings;
