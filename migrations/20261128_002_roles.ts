/**
 * Roles that bundle API permissions (an API identifier and one of its scopes), and which users
 * hold which roles. A permission disappears with its API; a role's grants with the role.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('roles', (t) => {
    t.text('id').primary();
    t.text('name').notNullable().unique();
    t.text('description').notNullable().defaultTo('');
    t.text('source').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('role_permissions', (t) => {
    t.text('role_id').notNullable().references('id').inTable('roles').onDelete('CASCADE');
    t.text('resource').notNullable().references('identifier').inTable('resource_servers').onDelete('CASCADE');
    t.text('scope').notNullable();
    t.primary(['role_id', 'resource', 'scope']);
  });
  await knex.schema.createTable('user_roles', (t) => {
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('role_id').notNullable().references('id').inTable('roles').onDelete('CASCADE');
    t.primary(['user_id', 'role_id']);
  });
  await knex.raw('CREATE INDEX user_roles_role ON user_roles (role_id)');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
