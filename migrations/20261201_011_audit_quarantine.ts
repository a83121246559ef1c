/**
 * Audit records the chain could not take (the database refused the row) are set aside here
 * instead of blocking every record behind them. The record is kept as JSON text — JSON escapes
 * NUL and lone surrogates, so any record fits in `text` — with the database's reason. Not part
 * of the hash chain; operators read it with SQL. Self-contained like every migration.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_quarantine', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('quarantined_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('type').notNullable();
    t.text('reason').notNullable();
    t.text('record').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_quarantine');
}
