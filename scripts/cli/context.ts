/**
 * What commands run against: only the database (`migrate`, `purge` must work before the rest of
 * a production configuration exists), or the whole container as the server builds it, so
 * commands go through the same repositories, hasher and client validation as the server does.
 */
import type { Knex } from 'knex';
import { loadConfig, loadDatabaseSettings, type Config, type DatabaseSettings } from '../../config/loader.js';
import { withDevelopmentSecrets } from '../../config/dev-secrets.js';
import { createSecretSealer } from '../../adapters/crypto/envelope.js';
import { createClientsAdapter } from '../../adapters/db/clients.js';
import { databaseFor } from '../../adapters/db/knex.js';
import { createResourceServersAdapter } from '../../adapters/db/resource-servers.js';
import { createRolesAdapter } from '../../adapters/db/roles.js';
import { createCredentialRepository, createUserRepository } from '../../adapters/db/users-repository.js';
import { buildContainer, type Container } from '../../server/container.js';
import { createLogger } from '../../adapters/logging/pino-logger.js';
import { ensureAdminApi, type ApplySeedDeps } from '../../server/modules/bootstrap/index.js';
import type { AuditDetails, AuditEventType, AuditSubject } from '../../server/modules/compliance/index.js';

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
  const loaded = loadConfig();
  return loaded.env === 'production' ? loaded : withDevelopmentSecrets(loaded).config;
}

/**
 * Builds the server's container (without listening): in production it refuses a stale schema,
 * elsewhere it migrates, as the server does. Logs go to stderr, warnings and worse only, so
 * stdout carries just the command's output.
 */
export async function withContainer<T>(work: (container: Container) => Promise<T>): Promise<T> {
  const config = fullConfig();
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn', process.stderr);
  const container = await buildContainer(config, logger, { migrate: config.env !== 'production' });
  try {
    // As at every server start, so the admin role a command grants holds the admin API's scopes and
    // a seed naming the admin API finds it.
    await ensureAdminApi(container.seedDeps, config.adminApi);
    return await work(container);
  } finally {
    await container.close();
  }
}

/** Runs `work` in one transaction with the seed's repositories bound to it. */
export function seedTransaction<T>(container: Container, work: (deps: ApplySeedDeps) => Promise<T>): Promise<T> {
  const sealer = createSecretSealer(container.config.keyEncryptionKey!);
  return container.database.knex.transaction((trx) =>
    work({
      ...container.seedDeps,
      clients: createClientsAdapter(trx, sealer),
      apis: createResourceServersAdapter(trx),
      roles: createRolesAdapter(trx),
      users: createUserRepository(trx),
      credentials: createCredentialRepository(trx),
    }),
  );
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
