/**
 * One-time codes sent by SMS. A challenge holds only the keyed hash of its code, expires after
 * SMS_CODE_TTL_MS, allows SMS_MAX_ATTEMPTS wrong guesses and works once. A six-digit code has
 * 10^6 values: with five guesses per code and the login rate limits on top, guessing succeeds
 * with probability 5·10^-6 per challenge.
 */
import type { Factor, FactorSummary } from './factor.js';

export const SMS_CODE_DIGITS = 6;
/** Long enough for an SMS to arrive on a slow network; short enough to be useless when intercepted late. */
export const SMS_CODE_TTL_MS = 5 * 60 * 1000;
export const SMS_MAX_ATTEMPTS = 5;
/**
 * Default minimum gap between two codes for one user (SMS_RESEND_INTERVAL): SMS costs money and
 * can be used to harass.
 */
export const SMS_RESEND_INTERVAL_MS = 30 * 1000;

export interface SmsChallenge {
  id: string;
  userId: string;
  codeHash: string;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  attempts: number;
  consumedAt: number | null;
}

export type SmsFailure = 'invalid_code' | 'expired' | 'too_many_attempts' | 'already_used';

/** Turns random bytes into a six-digit code (modulo bias < 10^-3 with 4 bytes, irrelevant here). */
export function formatSmsCode(bytes: Uint8Array): string {
  if (bytes.length < 4) throw new Error('need 4 random bytes');
  const n = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  return String(n % 10 ** SMS_CODE_DIGITS).padStart(SMS_CODE_DIGITS, '0');
}

/** Masks an E.164 number for display: +49******1234. */
export function maskPhone(phone: string): string {
  return phone.length <= 6 ? '******' : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** Whether a new code may go out at `now`, `intervalMs` after the user's last one. */
export function canResend(last: Pick<SmsChallenge, 'createdAt'> | undefined, now: number, intervalMs: number = SMS_RESEND_INTERVAL_MS): boolean {
  return !last || now - last.createdAt >= intervalMs;
}

export function smsFactor(challenge: SmsChallenge, phone: string, now: number): Factor<SmsChallenge, { hash: string }, SmsFailure> {
  return {
    type: 'sms',
    amr: 'sms',
    verify({ hash }) {
      if (challenge.consumedAt !== null) return { ok: false, reason: 'already_used' };
      if (now >= challenge.expiresAt) return { ok: false, reason: 'expired' };
      if (challenge.attempts >= SMS_MAX_ATTEMPTS) return { ok: false, reason: 'too_many_attempts' };
      if (hash !== challenge.codeHash) return { ok: false, reason: 'invalid_code', next: { ...challenge, attempts: challenge.attempts + 1 } };
      return { ok: true, next: { ...challenge, consumedAt: now } };
    },
    serialize: () => ({ ...challenge }),
    sanitize: (): FactorSummary => ({ type: 'sms', since: null, detail: maskPhone(phone) }),
  };
}
