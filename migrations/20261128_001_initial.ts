/**
 * Initial schema: provider artifacts, identities and their credentials, clients, APIs and
 * signing keys. Self-contained: migrations never import application code, so they keep
 * meaning what they meant when they were written.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oidc_payloads', (t) => {
    t.text('model').notNullable();
    t.text('id').notNullable();
    t.jsonb('payload').notNullable();
    t.text('grant_id');
    t.text('uid');
    t.text('user_code');
    t.text('account_id');
    t.timestamp('expires_at', { useTz: true });
    t.timestamp('consumed_at', { useTz: true });
    t.primary(['model', 'id']);
  });
  await knex.raw('CREATE INDEX oidc_payloads_grant_id ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL');
  await knex.raw("CREATE UNIQUE INDEX oidc_payloads_session_uid ON oidc_payloads (uid) WHERE model = 'Session'");
  await knex.raw('CREATE UNIQUE INDEX oidc_payloads_user_code ON oidc_payloads (model, user_code) WHERE user_code IS NOT NULL');
  await knex.raw('CREATE INDEX oidc_payloads_expires_at ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL');
  await knex.raw('CREATE INDEX oidc_payloads_account_id ON oidc_payloads (account_id) WHERE account_id IS NOT NULL');

  await knex.schema.createTable('users', (t) => {
    t.text('id').primary();
    t.text('username').notNullable();
    t.text('email');
    t.boolean('email_verified').notNullable().defaultTo(false);
    t.jsonb('profile').notNullable().defaultTo('{}');
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX users_username_lower ON users (lower(username))');
  await knex.raw('CREATE UNIQUE INDEX users_email_lower ON users (lower(email)) WHERE email IS NOT NULL');

  await knex.schema.createTable('credentials', (t) => {
    t.text('id').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('type').notNullable();
    t.text('secret').notNullable();
    t.jsonb('data').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("CREATE UNIQUE INDEX credentials_one_password ON credentials (user_id) WHERE type = 'password'");

  await knex.schema.createTable('clients', (t) => {
    t.text('client_id').primary();
    t.jsonb('metadata').notNullable();
    t.text('secret_ciphertext');
    t.text('source').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('resource_servers', (t) => {
    t.text('identifier').primary();
    t.text('name').notNullable();
    t.jsonb('scopes').notNullable().defaultTo('[]');
    t.text('access_token_format').notNullable().defaultTo('jwt');
    t.integer('access_token_ttl');
    t.text('source').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('signing_keys', (t) => {
    t.text('kid').primary();
    t.text('alg').notNullable();
    t.jsonb('public_jwk').notNullable();
    t.text('private_jwk_ciphertext').notNullable();
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('retired_at', { useTz: true });
    t.timestamp('verify_until', { useTz: true });
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
