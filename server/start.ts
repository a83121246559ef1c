/**
 * Boot sequence shared by `main.ts` and the integration tests: load config → build container →
 * first-run bootstrap and seeds → listen → background jobs. Returns a handle to stop it all.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { loadConfig, type Config } from '../config/loader.js';
import { withDevelopmentSecrets } from '../config/dev-secrets.js';
import { buildApp } from './app.js';
import { buildContainer, type Container } from './container.js';
import { createLogger } from '../adapters/logging/pino-logger.js';
import { describeError, type Logger } from './shared/logger.js';
import { accountConsoleSeed, applySeed, bootstrapAdmin, demoSeed, ensureAdminApi, parseSeedDocument, type SeedReport } from './modules/bootstrap/index.js';
import type { Notifier } from './modules/notifications/index.js';
import { AppError } from './shared/errors.js';
import { recordDeliveryStatus } from './modules/notifications/index.js';

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

async function bootstrap(container: Container, env: Record<string, string | undefined>): Promise<FirstRunReport> {
  const { config } = container;
  // `client_secret_env` / `password_env` name variables of the environment this server was started with.
  const seedDeps = { ...container.seedDeps, env };
  // Decided before the seeds: "first run" means no accounts yet, whatever users a seed file declares...
  const firstRun = config.bootstrapAdmin && (await container.users.count()) === 0;
  // Before the seeds, so they can grant clients the admin scopes.
  await ensureAdminApi(seedDeps, config.adminApi);
  const demo = config.demoClients ? await applySeed(seedDeps, demoSeed(), 'demo clients', 'demo') : undefined;
  // The account pages' own client (account/account-session.ts) always exists.
  await applySeed(seedDeps, accountConsoleSeed(config.issuer), 'account console', 'builtin');
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

function startJobs(container: Container, logger: Logger): () => void {
  const { config } = container;
  const run = (name: string, job: () => Promise<unknown>) => async () => {
    try {
      const result = await job();
      if (result) logger.debug({ job: name, result }, 'background job done');
    } catch (error) {
      logger.warn({ job: name, err: describeError(error) }, 'background job failed');
    }
  };
  const timers = [
    setInterval(run('purge', () => container.purge()), config.purge.intervalSeconds * 1000),
    setInterval(run('keys', () => container.refreshKeys()), config.keyRefreshInterval * 1000),
    setInterval(run('audit-retention', () => container.compliance.applyRetention()), config.audit.retentionIntervalSeconds * 1000),
  ];
  for (const timer of timers) timer.unref();
  if (config.delivery.outbox.enabled) container.delivery.worker.start();
  return () => timers.forEach(clearInterval);
}

export interface StartOptions {
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** Replaces the notifier (tests capture message intents with it). */
  notifier?: Notifier;
}

/** @throws ConfigError / AppError invalid_seed with a message naming what to fix. */
export async function startServer(options: StartOptions = {}): Promise<Running> {
  const env = options.env ?? process.env;
  const loaded: Config = loadConfig(env);
  const { config } = loaded.env === 'production' ? { config: loaded } : withDevelopmentSecrets(loaded);
  const logger = options.logger ?? createLogger(config.logLevel);
  const container = await buildContainer(config, logger, { migrate: config.env !== 'production', ...(options.notifier ? { notifier: options.notifier } : {}) });
  let shuttingDown = false;
  // Not ready (503 on /readyz) until the first-run bootstrap and seeds are applied.
  let bootstrapped = false;
  const app = buildApp({
    logger,
    renderer: container.renderer,
    trustProxy: config.trustProxy,
    hsts: new URL(config.issuer).protocol === 'https:',
    cookieKeys: config.cookieKeys ?? [],
    provider: container.provider,
    interactions: container.interactions,
    selfService: container.selfService,
    tokenLimiters: container.tokenLimiters,
    isRegisteredOrigin: container.isRegisteredOrigin,
    adminApi: container.adminApi,
    readiness: [...container.readiness, { name: 'bootstrap', check: async () => { if (!bootstrapped) throw new Error('not yet'); } }],
    isShuttingDown: () => shuttingDown,
    metrics: container.metrics,
    ...(config.metrics.enabled ? { metricsEndpoint: { exposition: container.metrics, token: config.metrics.token } } : {}),
    notificationCallbacks: {
      ...container.delivery.callbacks,
      record: (status) => recordDeliveryStatus({ outbox: container.delivery.outbox, audit: container.audit }, status),
      log: logger,
    },
  });
  // Misspelt variables and, outside production, what production would refuse (config/rules/production.ts).
  for (const warning of config.warnings) logger.warn(warning);
  const server = createServer(app.callback());
  // Longer than a load balancer's idle timeout (commonly 60 s), so the balancer closes first.
  server.keepAliveTimeout = 65_000;
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
    firstRun = await bootstrap(container, env);
  } catch (error) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await container.close();
    throw error;
  }
  bootstrapped = true;
  const stopJobs = startJobs(container, logger);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? 'localhost' : address.address}:${address.port}`;

  return {
    url,
    server,
    container,
    firstRun,
    async stop() {
      shuttingDown = true;
      stopJobs();
      // Lets the delivery round in flight finish, so its leases are settled rather than left to expire.
      await container.delivery.worker.stop();
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
