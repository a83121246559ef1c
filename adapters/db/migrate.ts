/** Runs the knex migrations from the compiled list (no filesystem scanning, works from dist/). */
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

/** @returns the names of the migrations applied by this call. */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({ migrationSource: new ListedMigrations() })) as [number, string[]];
  return applied;
}

/** @returns the names of migrations not yet applied. */
export async function pendingMigrations(knex: Knex): Promise<string[]> {
  const [, pending] = (await knex.migrate.list({ migrationSource: new ListedMigrations() })) as [unknown[], Array<readonly [string, Migration]>];
  return pending.map((entry) => (Array.isArray(entry) ? entry[0] : String((entry as { name?: string }).name ?? entry)));
}
