/**
 * Walks the hash chain in batches and names the first record that breaks it. Starts after the
 * latest retention checkpoint (whose signature is checked first), and ends at the chain head
 * read before the walk, so records appended meanwhile are neither required nor misjudged.
 */
import { GENESIS_HASH, type AuditRecord, type ChainHead } from '../domain/audit-record.js';
import { checkpointPayload, type Checkpoint } from '../domain/checkpoint.js';
import type { AuditStore, CheckpointSigner } from '../ports.js';
import { hashRecord } from './chain.js';

export type VerifyResult =
  | { ok: true; count: number; head: ChainHead; checkpoint: Checkpoint | undefined }
  | { ok: false; count: number; seq: number; reason: string };

export interface VerifyDeps {
  store: AuditStore;
  signer: CheckpointSigner;
}

/** Why `record` does not continue a chain that ended at (expectedSeq - 1, expectedPrev); undefined when it does. */
export function breakOf(record: AuditRecord, expectedSeq: number, expectedPrev: string): string | undefined {
  if (record.seq !== expectedSeq) return `record ${expectedSeq} is missing (the next stored record is ${record.seq})`;
  if (record.prevHash !== expectedPrev) return `its previous-hash does not match the hash of record ${expectedSeq - 1}`;
  if (hashRecord(record) !== record.hash) return 'its content does not match its hash (the record was altered)';
  return undefined;
}

// Large enough that a million records take a few hundred queries; small enough to bound memory.
const DEFAULT_BATCH = 1000;

const signed = (signer: CheckpointSigner, checkpoint: Checkpoint) => signer.verify(checkpointPayload(checkpoint), checkpoint.signature);

/**
 * @returns ok with the number of records checked, or the sequence of the first record that
 * breaks the chain and why (altered, missing, unlinked, or an invalid checkpoint signature).
 */
export async function verifyAuditChain(deps: VerifyDeps, batchSize = DEFAULT_BATCH): Promise<VerifyResult> {
  let checkpoint = await deps.store.latestCheckpoint();
  if (checkpoint && !signed(deps.signer, checkpoint)) {
    return { ok: false, count: 0, seq: checkpoint.seq, reason: 'the retention checkpoint ending here has an invalid signature' };
  }
  const head = await deps.store.head();
  let expectedSeq = (checkpoint?.seq ?? 0) + 1;
  let expectedPrev = checkpoint?.hash ?? GENESIS_HASH;
  let count = 0;
  walk: while (expectedSeq <= head.seq) {
    const batch = await deps.store.readFrom(expectedSeq - 1, batchSize);
    if (!batch.length) break;
    for (const record of batch) {
      // Appended after the head was read; whatever is missing before it is reported below.
      if (record.seq > head.seq) break walk;
      // Records before a checkpoint found mid-walk (below) were dropped after this batch was read.
      if (record.seq < expectedSeq) continue;
      let reason = breakOf(record, expectedSeq, expectedPrev);
      if (reason && record.seq > expectedSeq) {
        // A gap may be retention running during the walk: resume from its newer, signed checkpoint.
        const latest = await deps.store.latestCheckpoint();
        if (latest && latest.seq >= expectedSeq && signed(deps.signer, latest)) {
          checkpoint = latest;
          expectedSeq = latest.seq + 1;
          expectedPrev = latest.hash;
          if (record.seq < expectedSeq) continue;
          reason = breakOf(record, expectedSeq, expectedPrev);
        }
      }
      if (reason) return { ok: false, count, seq: expectedSeq, reason };
      count += 1;
      expectedSeq += 1;
      expectedPrev = record.hash;
    }
  }
  if (expectedSeq <= head.seq) {
    return { ok: false, count, seq: expectedSeq, reason: `record ${expectedSeq} is missing (the chain head is at ${head.seq})` };
  }
  // (A checkpoint found mid-walk may already lie past the head read at the start.)
  if (expectedSeq - 1 === head.seq && expectedPrev !== head.hash) {
    return { ok: false, count, seq: head.seq, reason: 'the chain head hash does not match the last record' };
  }
  return { ok: true, count, head, checkpoint };
}

/** One line for an operator: OK with the count, or the first broken record and why. */
export function verificationMessage(result: VerifyResult): string {
  if (!result.ok) return `audit chain broken at record ${result.seq}: ${result.reason} (${result.count} record(s) before it verified)`;
  const from = result.checkpoint ? ` after the signed checkpoint at record ${result.checkpoint.seq}` : '';
  return `OK: ${result.count} audit record(s) verified${from}; chain head at record ${result.head.seq}.`;
}
