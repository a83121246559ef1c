/**
 * Starts the real provider in-process for an integration test file: real HTTP on a loopback
 * port, its own database (Postgres when DATABASE_URL is set, else PGlite in a temp dir) and
 * its own Redis key prefix (when REDIS_URL is set). Logs are captured so tests can assert what
 * was (and was not) logged.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../adapters/logging/pino-logger.js';
import { startServer, type Running } from '../../server/start.js';
import type { Notifier } from '../../server/modules/notifications/index.js';
import type { LockoutSchedules } from '../../server/modules/auth/index.js';
import { createTestDatabase, postgresUrl, redisUrl, type TestDatabase } from './stores.js';

export interface TestProvider {
  issuer: string;
  running: Running;
  logs: string[];
  env: Record<string, string>;
  /** Stops the server but keeps its database, so a test can start it again. */
  restart(extraEnv?: Record<string, string>): Promise<void>;
  /**
   * Stops the server, keeping its database, until `resume`: what an operator does before running
   * the CLI on the embedded database, which one process may open at a time.
   */
  suspend(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const TEST_USER = { username: 'alice', email: 'alice@example.com', password: 'correct horse battery staple' };
export const WEB_CLIENT = { client_id: 'web-app', client_secret: 'web-app-secret-that-is-long-enough-1234567890', redirect_uri: 'http://127.0.0.1:9999/cb' };
export const SPA_CLIENT = { client_id: 'spa-app', redirect_uri: 'http://localhost:5173/callback', origin: 'http://localhost:5173' };
export const SERVICE_CLIENT = { client_id: 'service', client_secret: 'service-secret-that-is-long-enough-1234567890' };
export const API = { identifier: 'https://api.example.com', scopes: ['orders:read', 'orders:write'] };

/** The seed most protocol tests run against: a web app, an SPA, a backend service, an API and a user. */
export function defaultSeed(): Record<string, unknown> {
  return {
    apis: [{ identifier: API.identifier, name: 'Orders API', scopes: API.scopes.map((value) => ({ value, description: value })) }],
    roles: [{ name: 'order-manager', description: 'Reads and changes orders', permissions: [{ resource: API.identifier, scopes: API.scopes }] }],
    clients: [
      {
        client_id: WEB_CLIENT.client_id,
        client_name: 'Web App',
        client_secret: WEB_CLIENT.client_secret,
        redirect_uris: [WEB_CLIENT.redirect_uri],
        post_logout_redirect_uris: ['http://127.0.0.1:9999/logged-out'],
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'openid profile email offline_access roles',
        resource_scopes: { [API.identifier]: API.scopes },
      },
      {
        client_id: SPA_CLIENT.client_id,
        client_name: 'SPA',
        token_endpoint_auth_method: 'none',
        redirect_uris: [SPA_CLIENT.redirect_uri],
        web_origins: ['https://spa.example.com'],
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'openid profile email offline_access',
        resource_scopes: { [API.identifier]: API.scopes },
      },
      {
        client_id: SERVICE_CLIENT.client_id,
        client_name: 'Backend service',
        client_secret: SERVICE_CLIENT.client_secret,
        grant_types: ['client_credentials'],
        redirect_uris: [],
        resource_scopes: { [API.identifier]: API.scopes },
      },
    ],
    users: [
      {
        username: TEST_USER.username,
        email: TEST_USER.email,
        email_verified: true,
        password: TEST_USER.password,
        profile: { name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell' },
        roles: ['order-manager'],
      },
    ],
  };
}

export interface StartOptions {
  seed?: Record<string, unknown> | false;
  env?: Record<string, string>;
  database?: TestDatabase;
  /** The embedded default whatever the environment offers: PGlite in DATA_DIR and no Redis. */
  embedded?: boolean;
  /** Replaces the provider's notifier (see tests/helpers/mailbox.ts). */
  notifier?: Notifier;
  /** Shorter lockout backoff schedules, so lockout tests need fewer attempts and waits. */
  lockoutSchedules?: LockoutSchedules;
}

export async function startTestProvider(options: StartOptions = {}): Promise<TestProvider> {
  const dir = mkdtempSync(join(tmpdir(), 'oidc-test-'));
  // Without Postgres the provider opens PGlite in DATA_DIR, exactly as in development.
  const database = options.embedded ? undefined : options.database ?? (postgresUrl ? await createTestDatabase('postgres') : undefined);
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    ISSUER: `http://127.0.0.1:${port}`,
    DATA_DIR: dir,
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'debug',
    BOOTSTRAP_ADMIN: 'false',
    DEMO_CLIENTS: 'false',
    // The passkey offer would stand between every password sign-in and the app in the other
    // suites; the tests of the offer turn it on.
    PASSKEY_OFFER_ENABLED: 'false',
    REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    ...(redisUrl && !options.embedded ? { REDIS_URL: redisUrl } : {}),
  };
  if (options.seed !== false) {
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify(options.seed ?? defaultSeed()));
    env.SEED_FILE = seedFile;
  }
  Object.assign(env, options.env);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  const boot = (extra: Record<string, string> = {}) =>
    startServer({ env: { ...env, ...extra }, logger: createLogger('debug', sink), ...(options.notifier ? { notifier: options.notifier } : {}), ...(options.lockoutSchedules ? { lockoutSchedules: options.lockoutSchedules } : {}) });
  let running: Running;
  try {
    running = await boot();
  } catch (error) {
    // A start that fails (as some tests intend) must not leave its database or directory behind.
    if (!options.database) await database?.drop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let suspended = false;
  const handle: TestProvider = {
    issuer: env.ISSUER!,
    get running() {
      return running;
    },
    logs,
    env,
    async restart(extraEnv) {
      if (!suspended) await running.stop();
      suspended = false;
      running = await boot(extraEnv);
    },
    async suspend() {
      if (suspended) return;
      await running.stop();
      suspended = true;
    },
    async resume() {
      if (!suspended) return;
      running = await boot();
      suspended = false;
    },
    async stop() {
      if (!suspended) await running.stop();
      if (!options.database) await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return handle;
}
