/**
 * Sign-ins waiting between their first factor and their last step (server/modules/auth
 * domain/sign-in-flow.ts), one row per interaction. The state is JSON the auth module owns; the
 * expiry is a column so expired rows can be refused and removed without reading them.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sign_in_flows', (t) => {
    t.text('interaction_uid').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('state').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
  await knex.raw('CREATE INDEX sign_in_flows_expires ON sign_in_flows (expires_at)');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
