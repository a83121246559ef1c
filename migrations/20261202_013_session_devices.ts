/**
 * What the sessions list shows about each browser session besides what oidc-provider stores:
 * the browser and system named from its User-Agent, a coarse network address, when it signed in
 * and when it was last seen. Keyed by the session's uid (stable for the session's life; its id is
 * the cookie value, a bearer credential, and changes at each sign-in). Personal data: the row goes
 * with its user (cascade), when the session is ended, and after the session's expiry (purge, on
 * the `expires_at` index).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('session_devices', (t) => {
    t.text('session_uid').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('browser');
    t.text('os');
    t.text('network');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('last_seen_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
  await knex.raw('CREATE INDEX session_devices_user ON session_devices (user_id)');
  await knex.raw('CREATE INDEX session_devices_expires ON session_devices (expires_at)');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
