/**
 * The tamper-evident audit trail: one linear hash chain of records, the chain head (the row every
 * writer locks, so appends from many processes form one chain), and signed retention
 * checkpoints. Triggers make the records append-only: UPDATE and TRUNCATE are always refused;
 * DELETE only inside the retention transaction (which sets `oidc.audit_retention`) and only for
 * records a checkpoint already covers. A superuser can still disable triggers: that is what the
 * hash chain and `audit verify` are for.
 */
import type { Knex } from 'knex';

const GENESIS = '0'.repeat(64);

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE audit_records (
      seq bigint PRIMARY KEY,
      occurred_at timestamptz NOT NULL,
      type text NOT NULL,
      outcome text NOT NULL,
      actor_type text NOT NULL,
      actor_id text,
      subject_type text,
      subject_id text,
      client_id text,
      ip text,
      user_agent text,
      request_id text,
      details jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL
    )`);
  await knex.raw('CREATE INDEX audit_records_occurred_at ON audit_records (occurred_at)');
  await knex.raw('CREATE INDEX audit_records_actor ON audit_records (actor_id, seq) WHERE actor_id IS NOT NULL');
  await knex.raw('CREATE INDEX audit_records_subject ON audit_records (subject_id, seq) WHERE subject_id IS NOT NULL');
  await knex.raw('CREATE INDEX audit_records_type ON audit_records (type, seq)');

  await knex.raw('CREATE TABLE audit_chain_head (id smallint PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL, hash text NOT NULL)');
  await knex.raw(`INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '${GENESIS}')`);

  await knex.raw(`
    CREATE TABLE audit_checkpoints (
      seq bigint PRIMARY KEY,
      hash text NOT NULL,
      cutoff timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      signature text NOT NULL
    )`);

  await knex.raw(`
    CREATE FUNCTION audit_records_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE'
         AND current_setting('oidc.audit_retention', true) = 'on'
         AND OLD.seq <= (SELECT coalesce(max(seq), 0) FROM audit_checkpoints) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit_records is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw('CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records FOR EACH ROW EXECUTE FUNCTION audit_records_guard()');

  await knex.raw(`
    CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw('CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()');
  await knex.raw('CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()');
  await knex.raw('CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()');
  await knex.raw('CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()');
  await knex.raw('CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()');

  // The head only moves forward: rewinding it would let a truncated tail pass verification.
  await knex.raw(`
    CREATE FUNCTION audit_chain_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION 'audit_chain_head only moves forward' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw('CREATE TRIGGER audit_chain_head_forward BEFORE UPDATE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward()');
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
