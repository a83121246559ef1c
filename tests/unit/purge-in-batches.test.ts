/** The one purge bound: rounds × batch size, stopping early on a short round or a skip. */
import { describe, expect, it } from 'vitest';
import { purgeInBatches, type PurgeRound } from '../../server/shared/purge.js';

/** A backlog of `rows` rows, deleted `limit` at a time; records each round's limit. */
function backlog(rows: number, skipAt?: number) {
  let left = rows;
  const limits: number[] = [];
  const round = async (limit: number): Promise<PurgeRound> => {
    if (limits.length === skipAt) return 'skipped';
    limits.push(limit);
    const deleted = Math.min(left, limit);
    left -= deleted;
    return deleted;
  };
  return { round, limits, left: () => left };
}

describe('purgeInBatches', () => {
  it('stops after a short round', async () => {
    const b = backlog(25);
    expect(await purgeInBatches(b.round, { batchSize: 10, maxBatches: 20 })).toEqual({ deleted: 25, rounds: 3, skipped: false });
    expect(b.limits).toEqual([10, 10, 10]);
  });

  it('never runs more than maxBatches rounds: a backlog is left for the next run', async () => {
    const b = backlog(1000);
    expect(await purgeInBatches(b.round, { batchSize: 10, maxBatches: 3 })).toEqual({ deleted: 30, rounds: 3, skipped: false });
    expect(b.left()).toBe(970);
  });

  it('stops at once when another replica holds the purge', async () => {
    const b = backlog(1000, 1);
    expect(await purgeInBatches(b.round, { batchSize: 10, maxBatches: 5 })).toEqual({ deleted: 10, rounds: 1, skipped: true });
  });

  it('an empty table takes one round', async () => {
    const b = backlog(0);
    expect(await purgeInBatches(b.round, { batchSize: 10, maxBatches: 5 })).toEqual({ deleted: 0, rounds: 1, skipped: false });
  });
});
