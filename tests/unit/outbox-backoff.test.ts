/** The retry schedule: exponential from the base, capped, jittered within [half, full] of the nominal delay; when to give up. */
import { describe, expect, it } from 'vitest';
import { afterFailure, retryDelayMs } from '../../server/modules/notifications/index.js';

const policy = { baseMs: 30_000, capMs: 3_600_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt from the base (upper bound, random → 1)', () => {
    const upper = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, policy, () => 1));
    expect(upper).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
  });

  it('never goes below half the nominal delay (random → 0)', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs(attempt, policy, () => 0))).toEqual([15_000, 30_000, 60_000]);
  });

  it('is capped, however many attempts failed', () => {
    for (const attempt of [8, 12, 40, 1_000]) {
      expect(retryDelayMs(attempt, policy, () => 1)).toBe(3_600_000);
      expect(retryDelayMs(attempt, policy, () => 0)).toBe(1_800_000);
    }
  });

  it('spreads retries of the same attempt (jitter)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647);
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, policy, random)));
    expect(delays.size).toBeGreaterThan(40);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(60_000);
      expect(delay).toBeLessThanOrEqual(120_000);
    }
  });

  it('treats a nonsensical attempt number as the first', () => {
    expect(retryDelayMs(0, policy, () => 1)).toBe(30_000);
    expect(retryDelayMs(-3, policy, () => 1)).toBe(30_000);
  });
});

describe('afterFailure', () => {
  it('retries until the last attempt, then dead-letters', () => {
    expect([1, 2, 3, 4].map((attempt) => afterFailure(attempt, { maxAttempts: 4 }, true))).toEqual(['retry', 'retry', 'retry', 'dead']);
  });

  it('dead-letters a permanent failure at once', () => {
    expect(afterFailure(1, { maxAttempts: 8 }, false)).toBe('dead');
  });
});
