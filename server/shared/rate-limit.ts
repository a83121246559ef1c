/** Rate limiting as a port: HTTP middleware and use cases spend points; adapters keep the counters. */
export interface RateLimiter {
  /** Spends one point of `key`. @returns seconds to wait when the budget is exhausted. */
  consume(key: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}
