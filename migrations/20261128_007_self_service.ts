/**
 * Self-service flows and known devices. A flow is one email/phone verification, email change or
 * password reset: its secrets are stored only as keyed digests (the link token and the short
 * code), its state moves forward only (pending → verified / completed / locked / expired /
 * superseded), and the single-use rule is one conditional UPDATE on `state`.
 * Known devices remember which browsers (by a digest of their device cookie) signed in to an
 * account, so a sign-in from a new one can be announced to the owner.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('self_service_flows', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable();
    t.text('user_id').references('id').inTable('users').onDelete('CASCADE');
    t.text('target').notNullable();
    t.text('state').notNullable();
    t.text('token_digest');
    t.text('code_digest');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
  });
  await knex.raw('CREATE UNIQUE INDEX self_service_flows_token ON self_service_flows (token_digest) WHERE token_digest IS NOT NULL');
  await knex.raw("CREATE INDEX self_service_flows_pending ON self_service_flows (user_id, kind) WHERE state = 'pending'");
  await knex.raw('CREATE INDEX self_service_flows_expires ON self_service_flows (expires_at)');

  await knex.schema.createTable('known_devices', (t) => {
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('device_digest').notNullable();
    t.text('user_agent').notNullable().defaultTo('');
    t.timestamp('first_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['user_id', 'device_digest']);
  });
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
