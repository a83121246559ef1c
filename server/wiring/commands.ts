/**
 * The pieces the CLI's database-only commands need (`migrate`, `purge`, `keys rotate`, `templates
 * preview`), chosen here like everything else the wiring builds, so scripts/ never import an
 * adapter. Commands that need the whole server use buildContainer (./index.ts).
 */
import type { Knex } from 'knex';
import type { DatabaseSettings } from '../../config/loader.js';
import { createSecretSealer } from '../../adapters/crypto/envelope.js';
import { databaseFor, type Database } from '../../adapters/db/knex.js';
import { migrateToLatest } from '../../adapters/db/migrate.js';
import { createTranslations } from '../../adapters/i18n/i18next-translations.js';
import { createLogger } from '../../adapters/logging/pino-logger.js';
import { purgeExpired } from '../../adapters/oidc/sql-store.js';
import { createNotificationTemplates } from '../../adapters/templates/notification-templates.js';
import type { SigningKeyDeps } from '../modules/keys/index.js';
import type { TemplateRenderer } from '../modules/notifications/index.js';
import type { Logger } from '../shared/logger.js';
import { signingKeys } from './stores.js';

export function openDatabase(settings: DatabaseSettings): Database {
  return databaseFor(settings);
}

/** Applies pending migrations; @returns the names applied. */
export function migrate(knex: Knex): Promise<string[]> {
  return migrateToLatest(knex);
}

/** Deletes expired provider records in bounded batches; @returns how many. */
export function purgeExpiredRecords(knex: Knex, batchSize: number, maxBatches: number): Promise<number> {
  return purgeExpired(knex, batchSize, maxBatches);
}

/** The signing keys of a database, sealed with the key-encryption key. */
export function signingKeysOf(knex: Knex, keyEncryptionKey: string): SigningKeyDeps {
  return signingKeys(knex, createSecretSealer(keyEncryptionKey));
}

/** Logs to stderr at `level`, so a command's stdout carries only its output. */
export function commandLogger(level: string): Logger {
  return createLogger(level, process.stderr);
}

/** The notification templates as the outbox renders them, read fresh from views/. */
export function notificationTemplates(productName: string): TemplateRenderer {
  const translations = createTranslations();
  return createNotificationTemplates({ cache: false, translator: (locale) => translations.translator(locale), productName });
}
