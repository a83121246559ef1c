/** Runs the knex migrations from the compiled list (no filesystem scanning, works from dist/), one process at a time. */
import type { Knex } from 'knex';
import { migrations, type Migration } from '../../migrations/index.js';

class ListedMigrations implements Knex.MigrationSource<readonly [string, Migration]> {
  async getMigrations() {
    return [...migrations];
  }
  getMigrationName(entry: readonly [string, Migration]) {
    return entry[0];
  }
  async getMigration(entry: readonly [string, Migration]) {
    return entry[1];
  }
}

/**
 * Arbitrary constant naming the migration lock (an advisory lock, a 64-bit key): replicas that
 * start together on a fresh database (MIGRATE_ON_START=true) take turns, and the later ones find
 * nothing pending. knex's own lock row would instead fail them with "Migration table is already locked".
 */
const MIGRATION_LOCK = 7_301_203_551_001;

interface RawClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
}
interface RawConnections {
  acquireRawConnection(): Promise<RawClient>;
  destroyRawConnection(connection: RawClient): Promise<void>;
}

/**
 * On Postgres, under a session advisory lock held on a connection of its own (outside the pool,
 * so a pool of one still migrates); the embedded database is one process's alone and needs none.
 * @returns the names of the migrations applied by this call.
 */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const latest = async () => ((await knex.migrate.latest({ migrationSource: new ListedMigrations() })) as [number, string[]])[1];
  if (knex.client.config.client !== 'pg') return latest();
  const connections = knex.client as unknown as RawConnections;
  const lockHolder = await connections.acquireRawConnection();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK]);
    return await latest();
  } finally {
    // Closing the session releases the lock even if the unlock is never answered.
    await connections.destroyRawConnection(lockHolder);
  }
}

/** @returns the names of migrations not yet applied. */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list({ migrationSource: new ListedMigrations() })) as [unknown[], Array<readonly [string, Migration]>];
  return pending.map((entry) => (Array.isArray(entry) ? entry[0] : String((entry as { name?: string }).name ?? entry)));
}
