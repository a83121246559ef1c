/**
 * SMS one-time codes to the account's verified phone number, through the Notifier (template
 * `mfa-code`). The code itself is only ever in the message; the challenge stores its keyed
 * hash. At most one code per `resendIntervalMs` (SMS_RESEND_INTERVAL) per account.
 */
import { canResend, formatSmsCode, maskPhone, SMS_CODE_TTL_MS, SMS_MAX_ATTEMPTS, smsFactor, type SmsFailure } from '../domain/sms-challenge.js';
import type { AuditTrail } from '../../compliance/index.js';
import type { Notifier } from '../../notifications/index.js';
import type { UserRepository } from '../../users/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { CodeHasher, RandomBytes, SmsChallengeStore } from '../ports.js';
import { recordFor, type AuditContext } from './mfa-audit.js';

export interface SmsCodeDeps {
  sms: SmsChallengeStore;
  users: Pick<UserRepository, 'findById'>;
  notifier: Notifier;
  hasher: CodeHasher;
  random: RandomBytes;
  audit: AuditTrail;
  clock: Clock;
  newId(): string;
  /** Minimum gap between two codes for one account (config.mfa.smsResendIntervalSeconds). */
  resendIntervalMs: number;
}

export type SmsSend = { ok: true; challengeId: string; maskedPhone: string } | { ok: false; reason: 'no_verified_phone' | 'too_soon' };

/** The verified phone number SMS codes go to, if the account has one. */
export async function verifiedPhone(deps: Pick<SmsCodeDeps, 'users'>, userId: string): Promise<string | undefined> {
  const user = await deps.users.findById(userId);
  return user?.profile.phone_number && user.profile.phone_number_verified === true ? user.profile.phone_number : undefined;
}

export async function sendSmsCode(deps: SmsCodeDeps, userId: string, locale: string, facts?: AuditContext): Promise<SmsSend> {
  const phone = await verifiedPhone(deps, userId);
  if (!phone) return { ok: false, reason: 'no_verified_phone' };
  const now = deps.clock.now().getTime();
  if (!canResend(await deps.sms.latestFor(userId), now, deps.resendIntervalMs)) return { ok: false, reason: 'too_soon' };
  const code = formatSmsCode(deps.random(4));
  const challenge = { id: deps.newId(), userId, codeHash: deps.hasher.hash('sms-code', code), createdAt: now, expiresAt: now + SMS_CODE_TTL_MS, attempts: 0, consumedAt: null };
  await deps.sms.create(challenge);
  await deps.notifier.enqueue({ channel: 'sms', template: 'mfa-code', locale, to: phone, data: { code, expiresInMinutes: String(SMS_CODE_TTL_MS / 60_000) } });
  await recordFor(deps.audit)('auth.mfa.challenge', 'success', userId, facts, { factor: 'sms' });
  return { ok: true, challengeId: challenge.id, maskedPhone: maskPhone(phone) };
}

export async function verifySmsCode(
  deps: Pick<SmsCodeDeps, 'sms' | 'hasher' | 'clock'>,
  userId: string,
  challengeId: string,
  code: string,
): Promise<{ ok: true } | { ok: false; reason: SmsFailure }> {
  const challenge = await deps.sms.find(challengeId);
  if (!challenge || challenge.userId !== userId) return { ok: false, reason: 'invalid_code' };
  const now = deps.clock.now().getTime();
  const hash = deps.hasher.hash('sms-code', code.replace(/\s/g, ''));
  const result = smsFactor(challenge, '', now).verify({ hash });
  if (!result.ok) {
    if (result.next) await deps.sms.recordFailure(challengeId);
    return { ok: false, reason: result.reason };
  }
  return (await deps.sms.consume(challengeId, hash, now, SMS_MAX_ATTEMPTS)) ? { ok: true } : { ok: false, reason: 'already_used' };
}
