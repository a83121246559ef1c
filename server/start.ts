/**
 * Boot sequence shared by `main.ts` and the integration tests: load config → build container
 * (server/wiring) → listen → first-run bootstrap and seeds → background jobs. Returns a handle to
 * stop it all. Everything it runs comes from the wiring; this file only orders the start and stop.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { bootConfig, type Environment } from '../config/boot.js';
import { buildApp } from './app.js';
import { createLogger } from '../adapters/logging/pino-logger.js';
import { prettyDestination } from '../adapters/logging/pretty.js';
import type { Logger } from './shared/logger.js';
import { accountConsoleSeed, adminConsoleSeed, applySeed, bootstrapAdmin, demoSeed, ensureAdminApi, parseSeedDocument, type SeedReport } from './modules/bootstrap/index.js';
import type { Notifier } from './modules/notifications/index.js';
import type { LockoutSchedules } from './modules/auth/index.js';
import { AppError } from './shared/errors.js';
import { buildContainer, type Container } from './wiring/index.js';

export interface Running {
  url: string;
  server: Server;
  container: Container;
  firstRun: FirstRunReport;
  stop(): Promise<void>;
}

export interface FirstRunReport {
  admin: { username: string; password: string } | undefined;
  demo: SeedReport | undefined;
  seed: SeedReport | undefined;
}

async function readSeedFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('invalid_seed', `SEED_FILE ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('invalid_seed', `SEED_FILE ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

async function bootstrap(container: Container): Promise<FirstRunReport> {
  // `client_secret_env` / `password_env` name variables of the environment this server was started with.
  const { config, seedDeps } = container;
  // Decided before the seeds: "first run" means no accounts yet, whatever users a seed file declares...
  const firstRun = config.bootstrapAdmin && (await container.users.count()) === 0;
  // Before the seeds, so they can grant clients the admin scopes.
  await ensureAdminApi(seedDeps, config.adminApi);
  const demo = config.demoClients ? await applySeed(seedDeps, demoSeed(config.issuer), 'demo clients', 'demo') : undefined;
  // The account pages' own client (account/account-session.ts) always exists.
  await applySeed(seedDeps, accountConsoleSeed(config.issuer), 'account console', 'builtin');
  // The admin console's client (console/session.ts), while the console is served.
  if (config.console.enabled) await applySeed(seedDeps, adminConsoleSeed({ issuer: config.issuer, audience: config.adminApi.audience, mfaRequired: config.console.mfaRequired }), 'admin console', 'builtin');
  let seed: SeedReport | undefined;
  if (config.seedFile) {
    const document = parseSeedDocument(await readSeedFile(config.seedFile), `SEED_FILE ${config.seedFile}`);
    seed = await applySeed(seedDeps, document, `SEED_FILE ${config.seedFile}`);
  }
  // ...but the admin is created after them: a seed that fails must not leave an admin behind whose
  // one-time password was never shown (the next start would see a user and create none).
  const admin = firstRun ? await bootstrapAdmin({ ...container, roles: seedDeps.roles }, { firstRun }) : undefined;
  return { admin, demo, seed };
}

export interface StartOptions {
  env?: Environment;
  logger?: Logger;
  /** Replaces the notifier (tests capture message intents with it). */
  notifier?: Notifier;
  /** Shorter lockout backoff schedules (tests; default: the production ones). */
  lockoutSchedules?: LockoutSchedules;
}

/** @throws ConfigError / AppError invalid_seed with a message naming what to fix. */
export async function startServer(options: StartOptions = {}): Promise<Running> {
  const { config, env } = bootConfig(options.env);
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat === 'pretty' ? await prettyDestination() : undefined);
  const container = await buildContainer(config, logger, { migrate: config.migrateOnStart, env, ...(options.notifier ? { notifier: options.notifier } : {}), ...(options.lockoutSchedules ? { lockoutSchedules: options.lockoutSchedules } : {}) });
  let shuttingDown = false;
  // Not ready (503 on /readyz) until the first-run bootstrap and seeds are applied.
  let bootstrapped = false;
  const app = buildApp({
    ...container.http,
    readiness: [...container.http.readiness, { name: 'bootstrap', check: async () => { if (!bootstrapped) throw new Error('not yet'); } }],
    isShuttingDown: () => shuttingDown,
  });
  // Misspelt variables and, outside production, what production would refuse (config/rules/production.ts).
  for (const warning of config.warnings) logger.warn(warning);
  // Slow clients (slowloris) are cut off: headers within HTTP_HEADERS_TIMEOUT, the whole request
  // within HTTP_REQUEST_TIMEOUT; idle keep-alive connections close after HTTP_KEEP_ALIVE_TIMEOUT.
  // Node refuses a headers timeout above the request timeout; the headers are part of the request.
  // It checks both on connectionsCheckingInterval (default 30 s): a quarter of the shortest here.
  const { headersTimeoutSeconds, requestTimeoutSeconds, keepAliveTimeoutSeconds } = config.http;
  const headersTimeout = Math.min(headersTimeoutSeconds, requestTimeoutSeconds) * 1000;
  const server = createServer(
    { headersTimeout, requestTimeout: requestTimeoutSeconds * 1000, keepAliveTimeout: keepAliveTimeoutSeconds * 1000, connectionsCheckingInterval: Math.min(30_000, headersTimeout / 4) },
    app.callback(),
  );
  // Listen before the bootstrap: a port that is taken must fail the start before a one-time
  // admin password is created that nobody would ever see.
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await container.close();
    throw error;
  }
  let firstRun: FirstRunReport;
  try {
    firstRun = await bootstrap(container);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await container.close();
    throw error;
  }
  bootstrapped = true;
  const stopJobs = container.jobs.start();
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? 'localhost' : address.address}:${address.port}`;

  return {
    url,
    server,
    container,
    firstRun,
    async stop() {
      shuttingDown = true;
      // Lets the delivery round in flight finish, so its leases are settled rather than left to expire.
      await stopJobs();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection goes idle when its in-flight response ends, not when close() is
      // called: sweep until every one is gone, or the server waits out the whole grace period.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceSeconds * 1000);
      await closed;
      clearInterval(sweep);
      clearTimeout(grace);
      await container.close();
    },
  };
}
