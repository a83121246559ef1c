/**
 * Passkeys (server/modules/auth domain/passkey.ts): one row per WebAuthn credential, the
 * credential id unique across accounts; the "not now" answer to the passkey offer after a
 * password sign-in; and WebAuthn challenges for runs without Redis (single use, expiring).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('passkeys', (t) => {
    t.text('id').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('credential_id').notNullable().unique();
    t.text('public_key').notNullable();
    t.bigInteger('counter').notNullable().defaultTo(0);
    t.text('transports').notNullable().defaultTo('[]');
    t.text('aaguid').notNullable();
    t.text('name').notNullable();
    t.boolean('synced').notNullable();
    t.boolean('backed_up').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_used_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX passkeys_user ON passkeys (user_id)');

  await knex.schema.createTable('passkey_offers', (t) => {
    t.text('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.timestamp('declined_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('webauthn_challenges', (t) => {
    t.text('key').primary();
    t.text('challenge').notNullable();
    t.text('user_id');
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
  await knex.raw('CREATE INDEX webauthn_challenges_expires ON webauthn_challenges (expires_at)');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
