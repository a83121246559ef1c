/**
 * Versions for optimistic concurrency in the admin API: every change increments `version` in the
 * same UPDATE that checks it (compare-and-set), and the ETag of a representation names it.
 */
import type { Knex } from 'knex';

const VERSIONED = ['users', 'roles', 'resource_servers', 'clients'];

export async function up(knex: Knex): Promise<void> {
  for (const table of VERSIONED) {
    await knex.schema.alterTable(table, (t) => {
      t.integer('version').notNullable().defaultTo(1);
    });
  }
  // Lists are ordered by unique keys that are indexed already: lower(username), roles.name and the
  // primary keys; the role filter uses user_roles_role.
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
