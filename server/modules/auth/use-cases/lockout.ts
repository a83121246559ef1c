/**
 * Lockout with exponential backoff (domain/backoff.ts) for password and second-factor attempts.
 * Failures are counted per (login name, IP), per login name and per IP; each counter blocks its
 * key for its own schedule's delay, capped, so nobody is locked out for good. Keys use the login
 * as typed (normalized) whether or not the account exists, so a block reveals nothing. Success
 * clears the (name, IP) counter only: the attacker's counters elsewhere stay.
 */
import { ACCOUNT_BACKOFF, ACCOUNT_IP_BACKOFF, backoffSeconds, IP_BACKOFF, MFA_BACKOFF, type BackoffSchedule } from '../domain/backoff.js';
import { normalizeLogin } from '../../users/index.js';
import type { AuditTrail } from '../../compliance/index.js';
import type { BackoffStore } from '../ports.js';
import { recordFor, type AuditContext } from './mfa-audit.js';

export interface LockoutDeps {
  store: BackoffStore;
  audit: AuditTrail;
}

export interface Lockout {
  /** @returns seconds to wait before a password attempt for `login` from `ip` is accepted (0: now). */
  passwordWait(login: string, ip: string): Promise<number>;
  passwordFailed(login: string, ip: string, facts?: AuditContext): Promise<void>;
  passwordSucceeded(login: string, ip: string): Promise<void>;
  /** @returns seconds to wait before a second-factor attempt for the account is accepted. */
  mfaWait(userId: string): Promise<number>;
  mfaFailed(userId: string, facts?: AuditContext): Promise<void>;
  mfaSucceeded(userId: string): Promise<void>;
  /** Passkey assertions name no account before they verify: refused ones count against the IP, with the password spraying counter. */
  passkeyWait(ip: string): Promise<number>;
  passkeyFailed(ip: string, facts?: AuditContext): Promise<void>;
}

/** The schedule of each counter; tests pass shorter ones so they need fewer attempts and waits. */
export interface LockoutSchedules {
  /** Per (login name, IP). */
  accountIp: BackoffSchedule;
  /** Per login name from anywhere. */
  account: BackoffSchedule;
  /** Per IP across all names. */
  ip: BackoffSchedule;
  /** Second-factor codes per account. */
  mfa: BackoffSchedule;
}

/** The production schedules (domain/backoff.ts says why each has its numbers). */
export const DEFAULT_LOCKOUT_SCHEDULES: LockoutSchedules = { accountIp: ACCOUNT_IP_BACKOFF, account: ACCOUNT_BACKOFF, ip: IP_BACKOFF, mfa: MFA_BACKOFF };

export function lockout(deps: LockoutDeps, schedules: LockoutSchedules = DEFAULT_LOCKOUT_SCHEDULES): Lockout {
  const keys = (login: string, ip: string): Array<[string, BackoffSchedule]> => {
    const name = normalizeLogin(login);
    return [[`pwd:${name}:ip:${ip}`, schedules.accountIp], [`pwd:${name}`, schedules.account], [`pwd-ip:${ip}`, schedules.ip]];
  };
  const record = recordFor(deps.audit);
  const wait = async (list: string[]) => Math.max(0, ...(await Promise.all(list.map((k) => deps.store.blockedFor(k)))));
  const fail = async (key: string, schedule: BackoffSchedule) => {
    const delay = backoffSeconds(await deps.store.recordFailure(key), schedule);
    if (delay > 0) await deps.store.block(key, delay);
    return delay;
  };
  return {
    passwordWait: (login, ip) => wait(keys(login, ip).map(([k]) => k)),
    async passwordFailed(login, ip, facts) {
      const delays = await Promise.all(keys(login, ip).map(([k, s]) => fail(k, s)));
      const delay = Math.max(...delays);
      if (delay > 0) await record('auth.lockout', 'denied', undefined, { ...facts, ip }, { stage: 'password', seconds: delay });
    },
    passwordSucceeded: (login, ip) => deps.store.reset(keys(login, ip)[0]![0]),
    mfaWait: (userId) => wait([`mfa:${userId}`]),
    async mfaFailed(userId, facts) {
      const delay = await fail(`mfa:${userId}`, schedules.mfa);
      if (delay > 0) await record('auth.lockout', 'denied', userId, facts, { stage: 'mfa', seconds: delay });
    },
    mfaSucceeded: (userId) => deps.store.reset(`mfa:${userId}`),
    passkeyWait: (ip) => wait([`pwd-ip:${ip}`]),
    async passkeyFailed(ip, facts) {
      const delay = await fail(`pwd-ip:${ip}`, schedules.ip);
      if (delay > 0) await record('auth.lockout', 'denied', undefined, { ...facts, ip }, { stage: 'passkey', seconds: delay });
    },
  };
}
