/**
 * Failure counters and blocks for the lockout backoff, with rate-limiter-flexible: in Redis when
 * configured (shared by every process; an in-memory insurance limiter takes over if Redis
 * fails), in process memory on the embedded default. Unlike the leased token limiter, every
 * failure is one Redis call: failures are rare and must be counted exactly.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { BackoffStore } from '../../server/modules/auth/index.js';

export interface BackoffStoreOptions {
  keyPrefix: string;
  /** How long failures are remembered after the first one of a series. */
  windowSeconds: number;
}

// Counting only: the budget is never meant to run out.
const UNLIMITED = 1_000_000_000;

export function createBackoffStore(redis: Redis | undefined, options: BackoffStoreOptions): BackoffStore {
  const make = (suffix: string, points: number, duration: number): RateLimiterAbstract => {
    const base = { points, duration, keyPrefix: `${options.keyPrefix}${suffix}` };
    return redis ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: new RateLimiterMemory(base) }) : new RateLimiterMemory(base);
  };
  const counter = make('failures', UNLIMITED, options.windowSeconds);
  // One point: `block` pushes a key past it for the given time; `get` reads how long is left.
  const blocks = make('blocks', 1, options.windowSeconds);
  return {
    async recordFailure(key) {
      return (await counter.consume(key, 1)).consumedPoints;
    },
    async block(key, seconds) {
      await blocks.block(key, seconds);
    },
    async blockedFor(key) {
      const state = await blocks.get(key);
      return state && state.consumedPoints > 1 ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;
    },
    async reset(key) {
      await Promise.all([counter.delete(key), blocks.delete(key)]);
    },
  };
}
