/**
 * The JSON shape of an audit record in the admin API and in exports (one object per line),
 * snake_case like the rest of the admin API. An export carries `seq`, `prev_hash` and `hash`, so
 * it can be re-verified outside this server.
 */
import type { AuditRecord } from './audit-record.js';

export interface AuditRecordJson {
  seq: number;
  occurred_at: string;
  type: string;
  outcome: string;
  actor: { type: string; id?: string };
  subject: { type: string; id: string } | null;
  client_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, string | number | boolean | null>;
  prev_hash: string;
  hash: string;
}

export function auditRecordJson(record: AuditRecord): AuditRecordJson {
  return {
    seq: record.seq,
    occurred_at: record.occurredAt.toISOString(),
    type: record.type,
    outcome: record.outcome,
    actor: record.actor,
    subject: record.subject ?? null,
    client_id: record.clientId ?? null,
    ip: record.ip ?? null,
    user_agent: record.userAgent ?? null,
    request_id: record.requestId ?? null,
    details: record.details ?? {},
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}
