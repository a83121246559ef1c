/**
 * The one bound on every purge (expired provider records, settled outbox messages, finished
 * self-service flows, federation requests, audit retention): at most `batchSize` rows per
 * statement and `maxBatches` statements per run, so a backlog is worked off over several runs
 * and no run holds locks or a connection for long. Imports nothing.
 */

export interface PurgeBounds {
  /** Rows per statement (PURGE_BATCH_SIZE). */
  batchSize: number;
  /** Statements per run. */
  maxBatches: number;
}

/** Rounds per run when a caller names none: 20 × the batch size is minutes of backlog, cleared in well under a second. */
export const DEFAULT_PURGE_ROUNDS = 20;

/** What one round did: rows deleted, or `'skipped'` when another replica holds the purge (nothing done, stop). */
export type PurgeRound = number | 'skipped';

export interface PurgeOutcome {
  deleted: number;
  /** Rounds that deleted something or found nothing (not the skipped one). */
  rounds: number;
  /** True when a round found another replica purging. */
  skipped: boolean;
}

/** Runs `round(limit)` until a round deletes fewer than `batchSize` rows, is skipped, or `maxBatches` rounds ran. */
export async function purgeInBatches(round: (limit: number) => Promise<PurgeRound>, bounds: PurgeBounds): Promise<PurgeOutcome> {
  let deleted = 0;
  for (let rounds = 0; rounds < bounds.maxBatches; rounds += 1) {
    const result = await round(bounds.batchSize);
    if (result === 'skipped') return { deleted, rounds, skipped: true };
    deleted += result;
    if (result < bounds.batchSize) return { deleted, rounds: rounds + 1, skipped: false };
  }
  return { deleted, rounds: bounds.maxBatches, skipped: false };
}
