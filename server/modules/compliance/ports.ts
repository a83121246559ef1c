/** What the compliance module needs from the outside, and what it offers as a sink to others. */
import type { AuditEvent } from './domain/audit-event.js';
import type { AuditRecord, ChainHead, PendingRecord } from './domain/audit-record.js';
import type { Checkpoint } from './domain/checkpoint.js';
import type { AuditFilter } from './domain/search.js';

/**
 * Where audit events go. `record` never throws for a well-formed event the store refused to
 * take without also logging the failure: an audit outage must be visible, not silent.
 */
export interface AuditTrail {
  record(event: AuditEvent): Promise<void>;
}

/** Storage of the hash chain. */
export interface AuditStore {
  /**
   * Appends records in one transaction while holding the chain head, so concurrent writers (in
   * any number of processes) form one linear chain. `link` turns the pending records into chained
   * ones given the current head; it runs inside the transaction and must be pure.
   */
  append(link: (head: ChainHead) => AuditRecord[]): Promise<AuditRecord[]>;
  /**
   * Sets aside a record the chain refused, outside the chain, with the reason. Must accept any
   * record (it is stored as escaped JSON text); throws only when the database itself is unreachable.
   */
  quarantine(record: PendingRecord, reason: string): Promise<void>;
  head(): Promise<ChainHead>;
  /** Records with seq > afterSeq, ascending, at most `limit`. */
  readFrom(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  /** Newest first, seq < beforeSeq when given. */
  search(filter: AuditFilter, beforeSeq: number | undefined, limit: number): Promise<AuditRecord[]>;
  /** Oldest first, seq > afterSeq. */
  exportFrom(filter: AuditFilter, afterSeq: number, limit: number): Promise<AuditRecord[]>;
  latestCheckpoint(): Promise<Checkpoint | undefined>;
  /**
   * Under a lock only one process holds at a time (`false` when another has it): hands the
   * oldest records after the latest checkpoint to `plan`, writes the checkpoint it returns and
   * deletes the records it covers, all in one transaction.
   */
  dropWithCheckpoint(
    limit: number,
    plan: (oldest: AuditRecord[], previous: Checkpoint | undefined) => Checkpoint | undefined,
  ): Promise<{ locked: false } | { locked: true; dropped: number; checkpoint: Checkpoint | undefined }>;
}

/** Signs and checks retention checkpoints. */
export interface CheckpointSigner {
  sign(payload: string): string;
  verify(payload: string, signature: string): boolean;
}

/** What the audit queue reports, so operators see depth and loss (wired to metrics). */
export interface AuditQueueObserver {
  dropped(count: number): void;
  flushFailed(): void;
  /** A record the chain refused was set aside (see AuditStore.quarantine). */
  quarantined(): void;
}

/** Where the audit module reports its own trouble (the structured log). */
export interface AuditLog {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}
