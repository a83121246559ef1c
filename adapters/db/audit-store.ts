/**
 * The audit hash chain in SQL. Appends lock the single chain-head row (SELECT … FOR UPDATE), so
 * writers in every process take turns and each batch continues exactly where the last one
 * ended. Retention runs under a transaction-scoped advisory lock and sets the transaction-local
 * flag the append-only trigger checks (migrations/20261128_004_audit_trail.ts).
 */
import type { Knex } from 'knex';
import { truncate, wellFormed } from '../../server/shared/unicode.js';
import type { AuditFilter, AuditRecord, AuditStore, ChainHead, Checkpoint, AuditEventType, AuditOutcome } from '../../server/modules/compliance/index.js';

// Any constant shared by all processes; spells "AUDITRET" in ASCII.
const RETENTION_LOCK = '4702111234474132820';

interface Row {
  seq: string | number;
  occurred_at: Date | string;
  type: string;
  outcome: string;
  actor_type: string;
  actor_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  client_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, string | number | boolean | null> | null;
  prev_hash: string;
  hash: string;
}

/** A row as one element of the JSON array jsonb_to_recordset reads. */
function toJsonRow(record: AuditRecord): Row {
  return {
    seq: record.seq,
    occurred_at: record.occurredAt.toISOString(),
    type: record.type,
    outcome: record.outcome,
    actor_type: record.actor.type,
    actor_id: record.actor.id ?? null,
    subject_type: record.subject?.type ?? null,
    subject_id: record.subject?.id ?? null,
    client_id: record.clientId ?? null,
    ip: record.ip ?? null,
    user_agent: record.userAgent ?? null,
    request_id: record.requestId ?? null,
    details: record.details ?? null,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

const COLUMN_TYPES = {
  seq: 'bigint',
  occurred_at: 'timestamptz',
  type: 'text',
  outcome: 'text',
  actor_type: 'text',
  actor_id: 'text',
  subject_type: 'text',
  subject_id: 'text',
  client_id: 'text',
  ip: 'text',
  user_agent: 'text',
  request_id: 'text',
  details: 'jsonb',
  prev_hash: 'text',
  hash: 'text',
} as const satisfies Record<keyof Row, string>;
const COLUMNS = Object.keys(COLUMN_TYPES).join(', ');
const RECORD_TYPE = Object.entries(COLUMN_TYPES)
  .map(([column, type]) => `${column} ${type}`)
  .join(', ');

function fromRow(row: Row): AuditRecord {
  const record: AuditRecord = {
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at),
    type: row.type as AuditEventType,
    outcome: row.outcome as AuditOutcome,
    actor: { type: row.actor_type as AuditRecord['actor']['type'], ...(row.actor_id !== null ? { id: row.actor_id } : {}) },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
  if (row.subject_type !== null && row.subject_id !== null) record.subject = { type: row.subject_type as NonNullable<AuditRecord['subject']>['type'], id: row.subject_id };
  if (row.client_id !== null) record.clientId = row.client_id;
  if (row.ip !== null) record.ip = row.ip;
  if (row.user_agent !== null) record.userAgent = row.user_agent;
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.details !== null) record.details = typeof row.details === 'string' ? JSON.parse(row.details) : row.details;
  return record;
}

function toCheckpoint(row: { seq: string | number; hash: string; cutoff: Date | string; created_at: Date | string; signature: string }): Checkpoint {
  return { seq: Number(row.seq), hash: row.hash, cutoff: new Date(row.cutoff), createdAt: new Date(row.created_at), signature: row.signature };
}

function filtered(query: Knex.QueryBuilder, filter: AuditFilter): Knex.QueryBuilder {
  if (filter.from) query.where('occurred_at', '>=', filter.from);
  if (filter.to) query.where('occurred_at', '<', filter.to);
  if (filter.actorId) query.where('actor_id', filter.actorId);
  if (filter.subjectId) query.where('subject_id', filter.subjectId);
  if (filter.subjectType) query.where('subject_type', filter.subjectType);
  if (filter.types?.length) query.whereIn('type', filter.types);
  return query;
}

async function latestCheckpoint(db: Knex | Knex.Transaction): Promise<Checkpoint | undefined> {
  const row = await db('audit_checkpoints').orderBy('seq', 'desc').first();
  return row ? toCheckpoint(row) : undefined;
}

export function createAuditStore(knex: Knex): AuditStore {
  return {
    append: (link) =>
      knex.transaction(async (trx) => {
        const head = await trx('audit_chain_head').where({ id: 1 }).forUpdate().first('seq', 'hash');
        const records = link({ seq: Number(head.seq), hash: head.hash });
        if (!records.length) return records;
        // One JSON parameter for the whole batch: a multi-row insert would bind 15 values per
        // record, and compiling those thousands of bindings cost more CPU than the rest of the append.
        await trx.raw(`INSERT INTO audit_records (${COLUMNS}) SELECT ${COLUMNS} FROM jsonb_to_recordset(?::jsonb) AS r(${RECORD_TYPE})`, [
          JSON.stringify(records.map(toJsonRow)),
        ]);
        const last = records.at(-1)!;
        await trx('audit_chain_head').where({ id: 1 }).update({ seq: last.seq, hash: last.hash });
        return records;
      }),
    async quarantine(record, reason) {
      // JSON.stringify escapes NUL and lone surrogates (\u0000, \ud800): the text always fits.
      await knex('audit_quarantine').insert({ type: record.type, reason: truncate(wellFormed(reason), 500), record: JSON.stringify(record) });
    },
    async head(): Promise<ChainHead> {
      const head = await knex('audit_chain_head').where({ id: 1 }).first('seq', 'hash');
      return { seq: Number(head.seq), hash: head.hash };
    },
    async readFrom(afterSeq, limit) {
      const rows: Row[] = await knex('audit_records').where('seq', '>', afterSeq).orderBy('seq').limit(limit);
      return rows.map(fromRow);
    },
    async search(filter, beforeSeq, limit) {
      const query = filtered(knex('audit_records'), filter);
      if (beforeSeq !== undefined) query.where('seq', '<', beforeSeq);
      const rows: Row[] = await query.orderBy('seq', 'desc').limit(limit);
      return rows.map(fromRow);
    },
    async exportFrom(filter, afterSeq, limit) {
      const rows: Row[] = await filtered(knex('audit_records'), filter).where('seq', '>', afterSeq).orderBy('seq').limit(limit);
      return rows.map(fromRow);
    },
    latestCheckpoint: () => latestCheckpoint(knex),
    dropWithCheckpoint: (limit, plan) =>
      knex.transaction(async (trx) => {
        const { rows } = await trx.raw('SELECT pg_try_advisory_xact_lock(?::bigint) AS locked', [RETENTION_LOCK]);
        if (!rows[0]?.locked) return { locked: false as const };
        const previous = await latestCheckpoint(trx);
        const oldest: Row[] = await trx('audit_records').where('seq', '>', previous?.seq ?? 0).orderBy('seq').limit(limit);
        const checkpoint = plan(oldest.map(fromRow), previous);
        if (!checkpoint) return { locked: true as const, dropped: 0, checkpoint: undefined };
        await trx('audit_checkpoints').insert({
          seq: checkpoint.seq,
          hash: checkpoint.hash,
          cutoff: checkpoint.cutoff,
          created_at: checkpoint.createdAt,
          signature: checkpoint.signature,
        });
        // Transaction-local: the trigger lets this transaction, and only it, delete covered records.
        await trx.raw("SELECT set_config('oidc.audit_retention', 'on', true)");
        // RETURNING: knex-pglite reports no affected-row count for DELETE.
        const deleted = await trx('audit_records').where('seq', '<=', checkpoint.seq).del(['seq']);
        return { locked: true as const, dropped: deleted.length, checkpoint };
      }),
  };
}
