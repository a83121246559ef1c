/**
 * Exponential backoff after failed attempts. The first `free` failures cost nothing (typos);
 * each one after that doubles the wait, up to `capSeconds`. The cap is what keeps a victim from
 * being locked out for good by someone guessing at their account: the worst case is a wait of
 * `capSeconds`, never a permanent lock.
 */
export interface BackoffSchedule {
  /** Failures allowed before any delay. */
  free: number;
  /** Delay after the first failure beyond `free`. */
  baseSeconds: number;
  capSeconds: number;
}

/** @returns seconds to wait before the next attempt after `failures` consecutive failures. */
export function backoffSeconds(failures: number, schedule: BackoffSchedule): number {
  const over = failures - schedule.free;
  if (over <= 0) return 0;
  // 2^30 s is decades: beyond that the cap applies anyway, and the shift stays in range.
  return Math.min(schedule.capSeconds, schedule.baseSeconds * 2 ** Math.min(over - 1, 30));
}

/** Per login name and IP: a typing user gets 5 tries, then 1 s, 2 s, 4 s … at most 15 min. */
export const ACCOUNT_IP_BACKOFF: BackoffSchedule = { free: 5, baseSeconds: 1, capSeconds: 15 * 60 };
/**
 * Per login name from anywhere: slows a distributed guess at one account. A low cap (1 min), so
 * the owner at a new address waits at most a minute while someone else is guessing.
 */
export const ACCOUNT_BACKOFF: BackoffSchedule = { free: 20, baseSeconds: 1, capSeconds: 60 };
/** Per IP across all names: password spraying from one address. Offices behind NAT share it, hence the allowance. */
export const IP_BACKOFF: BackoffSchedule = { free: 50, baseSeconds: 1, capSeconds: 15 * 60 };
/** Second-factor codes per account: codes are short, so guessing is slowed early. */
export const MFA_BACKOFF: BackoffSchedule = { free: 3, baseSeconds: 2, capSeconds: 15 * 60 };
