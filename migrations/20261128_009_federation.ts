/**
 * Federation: which upstream OpenID Provider accounts (issuer, subject) sign in as which user, and
 * the upstream sign-ins in flight (state, nonce and PKCE verifier kept server-side, bound to the
 * interaction that started them). Self-contained like every migration.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('federated_identities', (t) => {
    t.text('id').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('provider_id').notNullable();
    t.text('issuer').notNullable();
    t.text('subject').notNullable();
    t.text('email');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
    t.unique(['issuer', 'subject']);
  });
  await knex.raw('CREATE INDEX federated_identities_user ON federated_identities (user_id)');

  await knex.schema.createTable('federation_requests', (t) => {
    // SHA-256 of the state parameter: the state itself is never stored.
    t.text('state_hash').primary();
    t.text('interaction_uid');
    // Set when the request links a provider from the account page (the signed-in user).
    t.text('user_id').references('id').inTable('users').onDelete('CASCADE');
    t.text('provider_id').notNullable();
    t.text('nonce').notNullable();
    t.text('code_verifier').notNullable();
    // The verified upstream identity, once the callback succeeded (awaiting a link decision).
    t.jsonb('result');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('consumed_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX federation_requests_expiry ON federation_requests (expires_at)');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
