/** Database commands: `migrate` and `purge`. They need nothing but DATABASE_URL (or DATA_DIR). */
import { defaultOf } from '../../config/schema.js';
import { migrateToLatest } from '../../adapters/db/migrate.js';
import { purgeExpired } from '../../adapters/oidc/sql-store.js';
import type { Command } from './command.js';
import { withDatabase } from './context.js';

/** Rows per purge statement when run by hand; the same bound as the server's default. */
const PURGE_BATCH = Number(defaultOf('PURGE_BATCH_SIZE'));

export const databaseCommands: Command[] = [
  {
    name: 'migrate',
    summary: 'apply pending database migrations',
    details: 'Needs only DATABASE_URL (or, in development, DATA_DIR). Run it before starting a new version in production.',
    run: () =>
      withDatabase(async (knex) => {
        const applied = await migrateToLatest(knex);
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
      }),
  },
  {
    name: 'purge',
    summary: 'delete expired provider records now',
    details: `Deletes in batches of ${PURGE_BATCH} rows; the server also does this every PURGE_INTERVAL seconds.`,
    run: () =>
      withDatabase(async (knex) => {
        console.log(`Deleted ${await purgeExpired(knex, PURGE_BATCH, 1000)} expired record(s).`);
      }),
  },
];
