/**
 * A stored audit record: a sanitized event, its time and place in the chain, and the hashes
 * linking it to the record before. The canonical serialization is what gets hashed; changing it
 * breaks every existing chain, so it carries a version tag and never changes in place.
 */
import type { AuditEvent } from './audit-event.js';

/** The "previous hash" of the first record ever written. */
export const GENESIS_HASH = '0'.repeat(64);

/** An event after sanitizing and time-stamping, waiting for its place in the chain. */
export interface PendingRecord extends AuditEvent {
  occurredAt: Date;
}

export interface AuditRecord extends PendingRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The end of the chain: the last record's sequence and hash (0 and GENESIS_HASH when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The bytes a record's hash covers: every field in a fixed order, details as key-sorted pairs,
 * absent values as null, and the previous hash. JSON keeps strings unambiguous.
 */
export function canonicalRecord(record: PendingRecord & { seq: number; prevHash: string }): string {
  const details = record.details ? Object.keys(record.details).sort().map((key) => [key, record.details![key]]) : null;
  return JSON.stringify([
    'audit-v1',
    record.seq,
    record.occurredAt.toISOString(),
    record.type,
    record.outcome,
    record.actor.type,
    record.actor.id ?? null,
    record.subject?.type ?? null,
    record.subject?.id ?? null,
    record.clientId ?? null,
    record.ip ?? null,
    record.userAgent ?? null,
    record.requestId ?? null,
    details,
    record.prevHash,
  ]);
}

/** The event a stored record holds (its sanitized form), without its time and chain fields. */
export function eventOfRecord(record: AuditRecord): AuditEvent {
  const { seq: _seq, prevHash: _prev, hash: _hash, occurredAt: _at, ...event } = record;
  return event;
}
