/**
 * Rate limiting with rate-limiter-flexible: counters in Redis, shared by every provider process,
 * or in process memory on the embedded default. If Redis fails, an in-memory limiter takes over
 * per process (the insurance limiter) rather than letting every request through or failing them.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter } from '../../server/shared/rate-limit.js';

export interface RateLimitOptions {
  points: number;
  windowSeconds: number;
  keyPrefix: string;
}

export function createRateLimiter(redis: Redis | undefined, options: RateLimitOptions): RateLimiter {
  const base = { points: options.points, duration: options.windowSeconds, keyPrefix: options.keyPrefix };
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: new RateLimiterMemory(base) })
    : new RateLimiterMemory(base);
  const denied = (msBeforeNext: number): RateDecision => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
  return {
    async peek(key) {
      const state = await limiter.get(key);
      return state && state.consumedPoints >= options.points ? denied(state.msBeforeNext) : { allowed: true };
    },
    async consume(key) {
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return denied(rejection.msBeforeNext);
        }
        throw rejection;
      }
    },
  };
}
