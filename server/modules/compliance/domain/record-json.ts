/** The JSON shape of an audit record in the admin API and in exports (one object per line). */
import type { AuditRecord } from './audit-record.js';

export interface AuditRecordJson {
  seq: number;
  occurredAt: string;
  type: string;
  outcome: string;
  actor: { type: string; id?: string };
  subject: { type: string; id: string } | null;
  clientId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, string | number | boolean | null>;
  prevHash: string;
  hash: string;
}

export function auditRecordJson(record: AuditRecord): AuditRecordJson {
  return {
    seq: record.seq,
    occurredAt: record.occurredAt.toISOString(),
    type: record.type,
    outcome: record.outcome,
    actor: record.actor,
    subject: record.subject ?? null,
    clientId: record.clientId ?? null,
    ip: record.ip ?? null,
    userAgent: record.userAgent ?? null,
    requestId: record.requestId ?? null,
    details: record.details ?? {},
    prevHash: record.prevHash,
    hash: record.hash,
  };
}
