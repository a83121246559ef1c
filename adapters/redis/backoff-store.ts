/**
 * Failure counters and blocks for the lockout backoff, with rate-limiter-flexible: in Redis when
 * configured, shared by every process, in process memory on the embedded default. There is no
 * in-memory fallback when Redis fails: a block counted in one process's memory would be enforced
 * by that process only, and forgotten by every other one once Redis is back. While Redis is
 * unreachable the lockout fails closed (the sign-in answers 503) rather than unprotected. Unlike the leased token limiter, every
 * failure is one Redis call: failures are rare and must be counted exactly.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { StoreUnavailableError } from '../../server/shared/outage.js';
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
    return redis ? new RateLimiterRedis({ ...base, storeClient: redis }) : new RateLimiterMemory(base);
  };
  const counter = make('failures', UNLIMITED, options.windowSeconds);
  // One point: `block` pushes a key past it for the given time; `get` reads how long is left.
  const blocks = make('blocks', 1, options.windowSeconds);
  // rate-limiter-flexible passes Redis' own error through; it is an outage, whatever its wording.
  const reach = async <T>(call: Promise<T>): Promise<T> => {
    try {
      return await call;
    } catch (error) {
      throw redis ? new StoreUnavailableError('redis', { cause: error }) : error;
    }
  };
  return {
    async recordFailure(key) {
      return (await reach(counter.consume(key, 1))).consumedPoints;
    },
    async block(key, seconds) {
      await reach(blocks.block(key, seconds));
    },
    async blockedFor(key) {
      const state = await reach(blocks.get(key));
      return state && state.consumedPoints > 1 ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;
    },
    async reset(key) {
      await reach(Promise.all([counter.delete(key), blocks.delete(key)]));
    },
  };
}
