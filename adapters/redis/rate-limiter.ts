/**
 * Rate limiting with rate-limiter-flexible: counters in Redis, shared by every provider process,
 * or in process memory on the embedded default. If Redis fails, an in-memory limiter takes over
 * per process (the insurance limiter) rather than letting every request through or failing them.
 *
 * Each process takes points from the shared counter in leases (a twentieth of the budget at a
 * time) and spends them locally, so a busy client costs one Redis round trip per lease instead
 * of one per request: measured, the per-request call cost a fifth of the token endpoint's
 * throughput. A lease lasts until the window it was taken in ends. The price is precision across
 * processes: points leased by one process are not available to another, so with N processes a
 * client can be refused up to N leases early, never admitted beyond its budget. Budgets of 20
 * points or fewer lease one point at a time, which is exact.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter } from '../../server/shared/rate-limit.js';

export interface RateLimitOptions {
  points: number;
  windowSeconds: number;
  keyPrefix: string;
}

/** Fraction of a budget one lease takes: small enough that N processes rarely strand much of it. */
const LEASE_FRACTION = 20;
// Bounds memory for leases and remembered blocks; an attacker rotating keys only evicts older
// entries, which the shared counter re-establishes at their next charge.
const MAX_KEYS = 10_000;

interface LocalState {
  /** Points leased and not yet spent. */
  remaining: number;
  /** When the window of the lease ends, epoch ms. */
  until: number;
  /** The shared budget had nothing left after this lease: once it is spent, refuse until `until`. */
  exhausted: boolean;
}

export function createRateLimiter(redis: Redis | undefined, options: RateLimitOptions, now: () => number = Date.now): RateLimiter {
  const base = { points: options.points, duration: options.windowSeconds, keyPrefix: options.keyPrefix };
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({ ...base, storeClient: redis, insuranceLimiter: new RateLimiterMemory(base) })
    : new RateLimiterMemory(base);
  const leaseSize = Math.max(1, Math.floor(options.points / LEASE_FRACTION));
  const local = new Map<string, LocalState>();

  const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const current = (key: string): LocalState | undefined => {
    const state = local.get(key);
    if (state && state.until <= now()) {
      local.delete(key);
      return undefined;
    }
    return state;
  };
  const store = (key: string, state: LocalState) => {
    if (!local.has(key) && local.size >= MAX_KEYS) local.delete(local.keys().next().value!);
    local.set(key, state);
  };

  return {
    peek(key): RateDecision {
      const state = current(key);
      // Refused only when this process knows the shared budget is spent for the window.
      if (state && state.remaining === 0 && state.exhausted) return { allowed: false, retryAfterSeconds: retryAfter(state.until - now()) };
      return { allowed: true };
    },
    async consume(key): Promise<RateDecision> {
      const state = current(key);
      if (state && state.remaining > 0) {
        state.remaining -= 1;
        return { allowed: true };
      }
      if (state?.exhausted) return { allowed: false, retryAfterSeconds: retryAfter(state.until - now()) };
      try {
        const taken = await limiter.consume(key, leaseSize);
        store(key, { remaining: leaseSize - 1, until: now() + taken.msBeforeNext, exhausted: taken.remainingPoints <= 0 });
        return { allowed: true };
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // The counter was charged the whole lease; what was left of the budget before it is ours.
        const left = options.points - (rejection.consumedPoints - leaseSize);
        store(key, { remaining: Math.max(0, left - 1), until: now() + rejection.msBeforeNext, exhausted: true });
        return left > 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: retryAfter(rejection.msBeforeNext) };
      }
    },
  };
}
