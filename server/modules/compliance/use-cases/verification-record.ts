/**
 * A verification of the chain is itself recorded in the chain, as `audit.chain.verified`
 * (outcome success, or failure when it found a break), with who ran it and through what. The
 * newest such record is "the last verification": the same on every replica and after a restart,
 * tamper-evident like every other record, exported with the trail, and kept as long as the trail
 * keeps anything (retention drops it with the records of its time). Evidence that integrity was
 * checked, and when, is itself what a compliance review asks for.
 */
import type { AuditActor, AuditEvent } from '../domain/audit-event.js';
import type { Acting } from '../domain/acting.js';
import type { AuditRecord } from '../domain/audit-record.js';
import type { AuditStore, CheckpointSigner } from '../ports.js';
import type { Clock } from '../../../shared/clock.js';
import { appendNow } from './chain.js';
import { verifyAuditChain, type VerifyResult } from './verify-chain.js';

/** Through what a verification was asked for: the admin API (the console uses it too) or the CLI. */
export type VerificationChannel = 'admin_api' | 'cli';

export interface LastVerification {
  ok: boolean;
  /** Records checked. */
  count: number;
  /** When the walk finished (the record's time). */
  checkedAt: Date;
  /** The last record checked (ok only). */
  headSeq?: number;
  /** The first record that breaks the chain, and why (not ok only). */
  brokenAt?: number;
  reason?: string;
  by: AuditActor;
  /** The client the actor acted through (the console's own client, for a console user). */
  clientId?: string;
  via: VerificationChannel;
}

export const VERIFIED = 'audit.chain.verified';

/** The record of one verification: its outcome, figures and who asked, never more than the result says. */
export function verificationEvent(result: VerifyResult, by: Acting, via: VerificationChannel): AuditEvent {
  return {
    type: VERIFIED,
    outcome: result.ok ? 'success' : 'failure',
    actor: by.actor,
    subject: { type: 'audit', id: 'chain' },
    ...(by.clientId ? { clientId: by.clientId } : {}),
    ...(by.ip ? { ip: by.ip } : {}),
    ...(by.userAgent ? { userAgent: by.userAgent } : {}),
    ...(by.requestId ? { requestId: by.requestId } : {}),
    details: result.ok
      ? { via, count: result.count, head_seq: result.head.seq, checkpoint_seq: result.checkpoint?.seq ?? null }
      : { via, count: result.count, broken_at: result.seq, reason: result.reason },
  };
}

/**
 * Walks the chain and appends the outcome straight away (not through the queue), so the answer
 * is returned only once every replica can read it.
 * @returns the result and the record that now holds it.
 */
export async function verifyAndRecord(
  deps: { store: AuditStore; signer: CheckpointSigner; clock: Clock },
  by: Acting,
  via: VerificationChannel,
): Promise<{ result: VerifyResult; records: AuditRecord[] }> {
  const result = await verifyAuditChain(deps);
  const records = await appendNow(deps, [verificationEvent(result, by, via)]);
  return { result, records };
}

const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** The verification a record holds; undefined for a record of another type. */
export function verificationOfRecord(record: AuditRecord): LastVerification | undefined {
  if (record.type !== VERIFIED) return undefined;
  const details = record.details ?? {};
  const headSeq = number(details.head_seq);
  const brokenAt = number(details.broken_at);
  return {
    ok: record.outcome === 'success',
    count: number(details.count) ?? 0,
    checkedAt: record.occurredAt,
    ...(headSeq !== undefined ? { headSeq } : {}),
    ...(brokenAt !== undefined ? { brokenAt } : {}),
    ...(typeof details.reason === 'string' ? { reason: details.reason } : {}),
    by: record.actor,
    ...(record.clientId ? { clientId: record.clientId } : {}),
    via: details.via === 'cli' ? 'cli' : 'admin_api',
  };
}

/** The newest verification the trail holds (one indexed read: type, seq); undefined when none is kept. */
export async function lastVerification(deps: { store: AuditStore }): Promise<LastVerification | undefined> {
  const [newest] = await deps.store.search({ types: [VERIFIED] }, undefined, 1);
  return newest ? verificationOfRecord(newest) : undefined;
}
