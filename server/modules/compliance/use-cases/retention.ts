/**
 * Retention: records older than the retention period are dropped from the start of the chain,
 * a bounded batch per transaction, and only after a signed checkpoint naming the last dropped
 * record is written in the same transaction. Retention re-checks the records it drops and
 * refuses to sign over a broken chain: a tampered segment must stay visible to `audit verify`,
 * not be laundered into a valid checkpoint.
 */
import type { Clock } from '../../../shared/clock.js';
import { GENESIS_HASH, type AuditRecord } from '../domain/audit-record.js';
import { checkpointPayload, type Checkpoint } from '../domain/checkpoint.js';
import type { AuditStore, CheckpointSigner } from '../ports.js';
import { breakOf } from './verify-chain.js';
import { purgeInBatches } from '../../../shared/purge.js';

export interface RetentionDeps {
  store: AuditStore;
  signer: CheckpointSigner;
  clock: Clock;
}

export interface RetentionOptions {
  retentionSeconds: number;
  batchSize: number;
  /** Batches per run: a run never holds the lock for long, the next run continues. */
  maxBatches: number;
}

export interface RetentionResult {
  dropped: number;
  checkpoint: Checkpoint | undefined;
  /** False when another process was applying retention. */
  ran: boolean;
}

function planCheckpoint(deps: RetentionDeps, cutoff: Date, oldest: AuditRecord[], previous: Checkpoint | undefined): Checkpoint | undefined {
  let expectedSeq = (previous?.seq ?? 0) + 1;
  let expectedPrev = previous?.hash ?? GENESIS_HASH;
  let last: AuditRecord | undefined;
  for (const record of oldest) {
    if (record.occurredAt >= cutoff) break;
    const reason = breakOf(record, expectedSeq, expectedPrev);
    if (reason) throw new Error(`audit retention stopped at record ${expectedSeq}: ${reason}; run \`audit verify\``);
    last = record;
    expectedSeq += 1;
    expectedPrev = record.hash;
  }
  if (!last) return undefined;
  const unsigned = { seq: last.seq, hash: last.hash, cutoff, createdAt: deps.clock.now() };
  return { ...unsigned, signature: deps.signer.sign(checkpointPayload(unsigned)) };
}

/** @throws when the records due for dropping do not verify (nothing is dropped then). */
export async function applyAuditRetention(deps: RetentionDeps, options: RetentionOptions): Promise<RetentionResult> {
  const cutoff = new Date(deps.clock.now().getTime() - options.retentionSeconds * 1000);
  let checkpoint: Checkpoint | undefined;
  const outcome = await purgeInBatches(async (limit) => {
    const result = await deps.store.dropWithCheckpoint(limit, (oldest, previous) => planCheckpoint(deps, cutoff, oldest, previous));
    if (!result.locked) return 'skipped';
    checkpoint = result.checkpoint ?? checkpoint;
    return result.dropped;
  }, options);
  // Skipped at once: another process was applying retention.
  return { dropped: outcome.deleted, checkpoint, ran: !outcome.skipped || outcome.rounds > 0 };
}
