/** Rate limiting as a port: HTTP middleware and use cases spend points; adapters keep the counters. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Spends one point of `key`. @returns whether it was still within budget, else how long to wait. */
  consume(key: string): Promise<RateDecision>;
  /**
   * Whether `key` still has budget, without spending any. Synchronous: it answers from what this
   * process knows, so checking a request costs no round trip (see adapters/redis/rate-limiter.ts).
   */
  peek(key: string): RateDecision;
}
