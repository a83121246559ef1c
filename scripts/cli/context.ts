/**
 * What commands run against: only the database (`migrate`, `purge` must work before the rest of
 * a production configuration exists; `keys rotate` and `audit verify` bind the wiring's tables to
 * it), or the whole
 * container as the server builds it (server/wiring), so commands go through the same
 * repositories, hasher and client validation as the server does.
 */
import type { Knex } from 'knex';
import { bootConfig } from '../../config/boot.js';
import { loadDatabaseSettings, type Config, type DatabaseSettings } from '../../config/loader.js';
import { databaseFor } from '../../adapters/db/knex.js';
import { createLogger } from '../../adapters/logging/pino-logger.js';
import type { Logger } from '../../server/shared/logger.js';
import { ensureAdminApi, type ApplySeedDeps } from '../../server/modules/bootstrap/index.js';
import type { AuditDetails, AuditEventType, AuditSubject } from '../../server/modules/compliance/index.js';
import { buildContainer, type Container } from '../../server/wiring/index.js';
import { seedTables } from '../../server/wiring/stores.js';

export async function withDatabase<T>(work: (knex: Knex, settings: DatabaseSettings) => Promise<T>): Promise<T> {
  const settings = loadDatabaseSettings();
  const database = databaseFor(settings);
  try {
    return await work(database.knex, settings);
  } finally {
    await database.close();
  }
}

/** The whole configuration; outside production, with the development secrets of DATA_DIR. */
export function fullConfig(): Config {
  return bootConfig().config;
}

/** Logs go to stderr, warnings and worse only, so stdout carries just the command's output. */
function commandLogger(config: Config): Logger {
  return createLogger(config.logLevel === 'silent' ? 'silent' : 'warn', process.stderr);
}

/**
 * Builds the server's container (without listening): in production it refuses a stale schema,
 * elsewhere it migrates, as the server does.
 */
export async function withContainer<T>(work: (container: Container) => Promise<T>): Promise<T> {
  const { config, env } = bootConfig();
  const container = await buildContainer(config, commandLogger(config), { migrate: config.env !== 'production', env });
  try {
    // As at every server start, so the admin role a command grants holds the admin API's scopes and
    // a seed naming the admin API finds it.
    await ensureAdminApi(container.seedDeps, config.adminApi);
    return await work(container);
  } finally {
    await container.close();
  }
}

/** Runs `work` in one transaction with the seed's tables (server/wiring/stores.ts) bound to it. */
export function seedTransaction<T>(container: Container, work: (deps: ApplySeedDeps) => Promise<T>): Promise<T> {
  const { sealer } = container;
  return container.database.knex.transaction((trx) => work({ ...container.seedDeps, ...seedTables(trx, sealer) }));
}

/**
 * Records an operator action in the audit trail: the actor is the system (the CLI, run by
 * whoever has the deployment's configuration), never a secret in the details.
 */
export function audit(
  container: Container,
  type: AuditEventType,
  subject: AuditSubject | undefined,
  details: AuditDetails = {},
): Promise<void> {
  return container.audit.record({ type, outcome: 'success', actor: { type: 'system', id: 'cli' }, ...(subject ? { subject } : {}), details });
}
