/**
 * Throttles password guessing at the login form. Failures are counted per (login name, IP) — so
 * one account cannot be brute-forced from one place — and per IP — so one place cannot spray
 * many accounts. Keys use the login as typed (normalized), whether or not such an account
 * exists, so being throttled reveals nothing about which accounts exist. An attacker elsewhere
 * cannot lock the owner out: the owner's own IP has its own budget. Successes are not charged.
 */
import type { RateDecision, RateLimiter } from '../../../shared/rate-limit.js';
import { normalizeLogin } from '../../users/index.js';

export interface LoginThrottleDeps {
  perAccountAndIp: RateLimiter;
  perIp: RateLimiter;
}

export interface LoginThrottle {
  /** Whether a login attempt may be made now. */
  check(login: string, ip: string): RateDecision;
  /** Charges a failed attempt to both budgets. */
  recordFailure(login: string, ip: string): Promise<void>;
}

export function loginThrottle(deps: LoginThrottleDeps): LoginThrottle {
  const accountKey = (login: string, ip: string) => `login:${normalizeLogin(login)}:ip:${ip}`;
  const ipKey = (ip: string) => `login:ip:${ip}`;
  return {
    check(login, ip) {
      const decisions = [deps.perAccountAndIp.peek(accountKey(login, ip)), deps.perIp.peek(ipKey(ip))];
      return decisions.find((d) => !d.allowed) ?? { allowed: true };
    },
    async recordFailure(login, ip) {
      await Promise.all([deps.perAccountAndIp.consume(accountKey(login, ip)), deps.perIp.consume(ipKey(ip))]);
    },
  };
}
