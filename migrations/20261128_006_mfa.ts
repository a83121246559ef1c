/**
 * Multi-factor authentication: at most one TOTP and one recovery-code set per user (in
 * `credentials`), SMS code challenges, and trusted devices. Self-contained like every migration.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE UNIQUE INDEX credentials_one_totp ON credentials (user_id) WHERE type = 'totp'");
  await knex.raw("CREATE UNIQUE INDEX credentials_one_recovery_codes ON credentials (user_id) WHERE type = 'recovery_codes'");

  await knex.schema.createTable('mfa_sms_challenges', (t) => {
    t.text('id').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('code_hash').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('consumed_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX mfa_sms_challenges_user ON mfa_sms_challenges (user_id, created_at DESC)');

  await knex.schema.createTable('trusted_devices', (t) => {
    t.text('id').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('label').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX trusted_devices_user ON trusted_devices (user_id)');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
