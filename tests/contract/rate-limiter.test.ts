/**
 * The leased rate limiter, in memory and on Redis shared by several "processes" (limiter
 * instances): never admits beyond the budget, refuses at most a few leases early, and tells how
 * long to wait.
 */
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../adapters/redis/rate-limiter.js';
import { createTestRedis, describeWith } from '../helpers/stores.js';

async function spend(limiter: ReturnType<typeof createRateLimiter>, key: string, times: number) {
  let allowed = 0;
  for (let i = 0; i < times; i += 1) if ((await limiter.consume(key)).allowed) allowed += 1;
  return allowed;
}

describe('leased rate limiter (in memory)', () => {
  it('admits exactly the budget within a window, then refuses with Retry-After, and peek agrees', async () => {
    const limiter = createRateLimiter(undefined, { points: 100, windowSeconds: 60, keyPrefix: 'unit' });
    expect(await spend(limiter, 'k', 100)).toBe(100);
    expect(limiter.peek('k')).toMatchObject({ allowed: false });
    const refused = await limiter.consume('k');
    expect(refused).toMatchObject({ allowed: false });
    expect(refused.allowed === false && refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limiter.peek('other')).toEqual({ allowed: true });
  });

  it('opens again when the window ends', async () => {
    let clock = 1_000_000;
    const limiter = createRateLimiter(undefined, { points: 3, windowSeconds: 1, keyPrefix: 'unit2' }, () => clock);
    expect(await spend(limiter, 'k', 4)).toBe(3);
    clock += 1_100;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(limiter.peek('k')).toEqual({ allowed: true });
    expect((await limiter.consume('k')).allowed).toBe(true);
  });
});

describeWith('redis')('leased rate limiter on shared Redis', () => {
  it('three processes together never exceed the budget and lose at most one lease each', async () => {
    const redis = await createTestRedis();
    try {
      const points = 200; // leases of 10
      const processes = [0, 1, 2].map(() => createRateLimiter(redis.redis, { points, windowSeconds: 60, keyPrefix: `${redis.prefix}rl` }));
      let allowed = 0;
      for (let round = 0; round < 120; round += 1) {
        for (const limiter of processes) if ((await limiter.consume('client')).allowed) allowed += 1;
      }
      expect(allowed).toBeLessThanOrEqual(points);
      expect(allowed).toBeGreaterThanOrEqual(points - 3 * 10);
      for (const limiter of processes) expect((await limiter.consume('client')).allowed).toBe(false);
    } finally {
      await redis.close();
    }
  });
});
