/**
 * When to try a failed delivery again: exponential backoff, capped, with "equal jitter" (half the
 * delay fixed, half random) so a burst of failures from one outage does not retry in lockstep,
 * while no retry comes sooner than half its nominal delay.
 */

export interface RetryPolicy {
  /** Delay before the second attempt (ms); doubles with each further attempt. */
  baseMs: number;
  /** No delay exceeds this (ms). */
  capMs: number;
  /** Attempts in all, the first included; the message is dead-lettered after the last. */
  maxAttempts: number;
}

/**
 * @param attempt the attempt that just failed, counting from 1.
 * @param random a number in [0, 1) (Math.random in production, pinned in tests).
 * @returns milliseconds to wait before the next attempt.
 */
export function retryDelayMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number): number {
  // 2 ** 30 already exceeds any sensible cap; clamping the exponent keeps the arithmetic finite.
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const half = nominal / 2;
  return Math.round(half + random() * half);
}

/** After attempt `attempt` failed: try again, or give up for good. */
export function afterFailure(attempt: number, policy: Pick<RetryPolicy, 'maxAttempts'>, retryable: boolean): 'retry' | 'dead' {
  return retryable && attempt < policy.maxAttempts ? 'retry' : 'dead';
}
