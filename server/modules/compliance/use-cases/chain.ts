/** Links records into the hash chain: hash = SHA-256(canonical record ‖ previous hash), hex. */
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../domain/audit-event.js';
import { canonicalRecord, type AuditRecord, type ChainHead, type PendingRecord } from '../domain/audit-record.js';
import { sanitizeEvent } from '../domain/sanitize.js';
import type { AuditStore } from '../ports.js';
import type { Clock } from '../../../shared/clock.js';

export function hashRecord(record: PendingRecord & { seq: number; prevHash: string }): string {
  return createHash('sha256').update(canonicalRecord(record)).digest('hex');
}

/** Gives each pending record the next sequence and links it to the one before. */
export function linkRecords(head: ChainHead, pending: PendingRecord[]): AuditRecord[] {
  let { seq, hash } = head;
  return pending.map((record) => {
    seq += 1;
    // One copy per record (the pending record itself is left as it was); the hash is filled in
    // after it is computed, and canonicalRecord does not read it.
    const linked: AuditRecord = { ...record, seq, prevHash: hash, hash: '' };
    hash = hashRecord(linked);
    linked.hash = hash;
    return linked;
  });
}

/**
 * Appends events straight away, without the queue: for short-lived processes (the CLI) whose
 * few events must be stored before they exit.
 */
export async function appendNow(deps: { store: AuditStore; clock: Clock }, events: AuditEvent[]): Promise<AuditRecord[]> {
  const now = deps.clock.now();
  const pending = events.map((event) => sanitizeEvent(event, now));
  return deps.store.append((head) => linkRecords(head, pending));
}

/** The audit events of a signing key rotation: one per new key, naming the keys it retired. */
export function keyRotationEvents(result: { created: string[]; retired: string[]; verifyUntil: Date }): AuditEvent[] {
  return result.created.map((kid) => ({
    type: 'keys.rotated' as const,
    outcome: 'success' as const,
    actor: { type: 'system' as const },
    subject: { type: 'signing_key' as const, id: kid },
    details: { retired: result.retired.join(',') || null, retiredVerifyUntil: result.verifyUntil.toISOString() },
  }));
}
