/** Every rule of the MFA domain (server/modules/auth/domain): pure functions, no I/O. */
import { describe, expect, it } from 'vitest';
import { ACR_MFA, ACR_PASSWORD, authenticationContext, decideMfa, requestsMfa, sessionNeedsStepUp, type MfaDecision } from '../../server/modules/auth/index.js';
import { totpFactor, type TotpRecord } from '../../server/modules/auth/domain/totp-factor.js';
import { formatRecoveryCode, looksLikeRecoveryCode, normalizeRecoveryCode, recoveryCodesFactor } from '../../server/modules/auth/domain/recovery-codes.js';
import { canResend, formatSmsCode, maskPhone, SMS_MAX_ATTEMPTS, smsFactor, type SmsChallenge } from '../../server/modules/auth/domain/sms-challenge.js';
import { isDeviceTrusted, deviceLabel } from '../../server/modules/auth/domain/trusted-device.js';
import { ACCOUNT_BACKOFF, ACCOUNT_IP_BACKOFF, backoffSeconds } from '../../server/modules/auth/domain/backoff.js';

const active: TotpRecord = { status: 'active', sealedSecret: 'sealed', lastStep: 100, createdAt: 0, activatedAt: 1000, attempts: 0 };

describe('TOTP factor: single use per time step', () => {
  it('accepts a step after the last accepted one and remembers it', () => {
    const result = totpFactor(active).verify({ matchedStep: 101 });
    expect(result).toEqual({ ok: true, next: { ...active, lastStep: 101 } });
  });
  it('refuses the same step again, and any earlier step', () => {
    expect(totpFactor(active).verify({ matchedStep: 100 })).toEqual({ ok: false, reason: 'code_reused' });
    expect(totpFactor(active).verify({ matchedStep: 99 })).toEqual({ ok: false, reason: 'code_reused' });
  });
  it('accepts any step when none was used yet', () => {
    expect(totpFactor({ ...active, lastStep: null }).verify({ matchedStep: 5 }).ok).toBe(true);
  });
  it('refuses a code that matched no step, and a pending enrolment', () => {
    expect(totpFactor(active).verify({ matchedStep: undefined })).toEqual({ ok: false, reason: 'invalid_code' });
    expect(totpFactor({ ...active, status: 'pending' }).verify({ matchedStep: 200 })).toEqual({ ok: false, reason: 'not_active' });
  });
  it('sanitizes to type and date only, never the secret', () => {
    const summary = totpFactor(active).sanitize();
    expect(summary).toEqual({ type: 'totp', since: new Date(1000).toISOString(), detail: null });
    expect(JSON.stringify(summary)).not.toContain('sealed');
    expect(totpFactor(active).serialize().sealedSecret).toBe('sealed');
  });
});

describe('recovery codes', () => {
  const bytes = Uint8Array.from({ length: 10 }, (_, i) => i * 7);
  it('formats 10 symbols in two groups from an alphabet without look-alikes', () => {
    const code = formatRecoveryCode(bytes);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(() => formatRecoveryCode(new Uint8Array(3))).toThrow();
  });
  it('normalizes what people type: case, spaces, dashes, O/I/L', () => {
    expect(normalizeRecoveryCode(' abcde-fghjk ')).toBe('ABCDEFGHJK');
    expect(normalizeRecoveryCode('o1lI0-00000')).toBe('0111000000');
    expect(looksLikeRecoveryCode('abcde fghjk')).toBe(true);
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
  it('consumes a code once: the next state no longer has it', () => {
    const record = { hashes: ['h1', 'h2', 'h3'], generatedAt: 0 };
    const first = recoveryCodesFactor(record).verify({ hash: 'h2' });
    expect(first).toEqual({ ok: true, next: { hashes: ['h1', 'h3'], generatedAt: 0 } });
    if (!first.ok) throw new Error('unreachable');
    expect(recoveryCodesFactor(first.next).verify({ hash: 'h2' })).toEqual({ ok: false, reason: 'invalid_code' });
    expect(recoveryCodesFactor(first.next).sanitize().detail).toBe('2');
  });
});

describe('SMS challenges', () => {
  const challenge: SmsChallenge = { id: 'c', userId: 'u', codeHash: 'good', createdAt: 0, expiresAt: 1000, attempts: 0, consumedAt: null };
  it('accepts the right code once before it expires', () => {
    const result = smsFactor(challenge, '+4915112345678', 500).verify({ hash: 'good' });
    expect(result).toEqual({ ok: true, next: { ...challenge, consumedAt: 500 } });
    if (!result.ok) throw new Error('unreachable');
    expect(smsFactor(result.next, '', 600).verify({ hash: 'good' })).toEqual({ ok: false, reason: 'already_used' });
  });
  it('counts wrong codes and stops after the limit', () => {
    expect(smsFactor(challenge, '', 1).verify({ hash: 'bad' })).toEqual({ ok: false, reason: 'invalid_code', next: { ...challenge, attempts: 1 } });
    expect(smsFactor({ ...challenge, attempts: SMS_MAX_ATTEMPTS }, '', 1).verify({ hash: 'good' })).toEqual({ ok: false, reason: 'too_many_attempts' });
  });
  it('refuses an expired code even if right', () => {
    expect(smsFactor(challenge, '', 1000).verify({ hash: 'good' })).toEqual({ ok: false, reason: 'expired' });
  });
  it('makes six-digit codes, masks numbers, and spaces out resends', () => {
    expect(formatSmsCode(Uint8Array.from([0, 0, 0, 7]))).toBe('000007');
    expect(formatSmsCode(Uint8Array.from([255, 255, 255, 255]))).toMatch(/^\d{6}$/);
    expect(maskPhone('+4915112345678')).toBe('+49*******5678');
    expect(smsFactor(challenge, '+4915112345678', 0).sanitize()).toEqual({ type: 'sms', since: null, detail: '+49*******5678' });
    expect(canResend(undefined, 0)).toBe(true);
    expect(canResend({ createdAt: 0 }, 29_999)).toBe(false);
    expect(canResend({ createdAt: 0 }, 30_000)).toBe(true);
    // SMS_RESEND_INTERVAL sets another gap.
    expect(canResend({ createdAt: 0 }, 4_999, 5_000)).toBe(false);
    expect(canResend({ createdAt: 0 }, 5_000, 5_000)).toBe(true);
  });
});

describe('amr and acr (RFC 8176)', () => {
  it('password alone is pwd; with a second factor it adds mfa and the MFA acr', () => {
    expect(authenticationContext(['pwd'])).toEqual({ amr: ['pwd'], acr: ACR_PASSWORD });
    expect(authenticationContext(['pwd', 'otp'])).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: ACR_MFA });
    expect(authenticationContext(['pwd', 'sms', 'sms'])).toEqual({ amr: ['pwd', 'sms', 'mfa'], acr: ACR_MFA });
  });
  it('reads acr_values', () => {
    expect(requestsMfa(`${ACR_PASSWORD} ${ACR_MFA}`)).toBe(true);
    expect(requestsMfa(ACR_PASSWORD)).toBe(false);
    expect(requestsMfa(undefined)).toBe(false);
  });
});

describe('MFA policy decision', () => {
  const base = { enabled: true, clientPolicy: 'optional' as const, acrValues: undefined, enrolled: [], usable: [], trustedDevice: false };
  const decide = (over: Partial<Parameters<typeof decideMfa>[0]>): MfaDecision => decideMfa({ ...base, ...over });

  it('asks nothing when switched off, whatever the client wants', () => {
    expect(decide({ enabled: false, clientPolicy: 'required', acrValues: ACR_MFA })).toEqual({ action: 'none', reason: 'disabled' });
  });
  it('asks nothing of an account without factors at an optional client', () => {
    expect(decide({})).toEqual({ action: 'none', reason: 'not_required' });
    // A verified phone alone is usable, not an opt-in.
    expect(decide({ usable: ['sms'] })).toEqual({ action: 'none', reason: 'not_required' });
  });
  it('challenges an account that enrolled TOTP, offering every usable factor, primary ones first', () => {
    expect(decide({ enrolled: ['totp'], usable: ['totp', 'sms', 'recovery_codes'] }))
      .toEqual({ action: 'challenge', reason: 'enrolled', factors: ['totp', 'sms', 'recovery_codes'] });
  });
  it('skips the factor on a trusted device, but never for step-up', () => {
    expect(decide({ enrolled: ['totp'], usable: ['totp'], trustedDevice: true })).toEqual({ action: 'none', reason: 'trusted_device' });
    expect(decide({ enrolled: ['totp'], usable: ['totp'], trustedDevice: true, acrValues: ACR_MFA }))
      .toEqual({ action: 'challenge', reason: 'step_up', factors: ['totp'] });
  });
  it('makes a user without a factor enrol when the client requires MFA or asks step-up', () => {
    expect(decide({ clientPolicy: 'required' })).toEqual({ action: 'enrol', reason: 'client_policy' });
    expect(decide({ acrValues: ACR_MFA })).toEqual({ action: 'enrol', reason: 'step_up' });
    // Recovery codes alone are a way back in, not a factor to sign in with every day.
    expect(decide({ clientPolicy: 'required', usable: ['recovery_codes'] })).toEqual({ action: 'enrol', reason: 'client_policy' });
  });
  it('uses SMS to a verified phone when MFA is required and no TOTP exists', () => {
    expect(decide({ clientPolicy: 'required', usable: ['sms'] })).toEqual({ action: 'challenge', reason: 'client_policy', factors: ['sms'] });
  });
  it('asks an existing session again for step-up it does not meet', () => {
    const input = { enabled: true, acrValues: ACR_MFA, clientPolicy: 'optional' as const, sessionAcr: ACR_PASSWORD, mfaAcr: ACR_MFA };
    expect(sessionNeedsStepUp(input)).toBe(true);
    expect(sessionNeedsStepUp({ ...input, sessionAcr: ACR_MFA })).toBe(false);
    expect(sessionNeedsStepUp({ ...input, acrValues: undefined })).toBe(false);
    expect(sessionNeedsStepUp({ ...input, enabled: false })).toBe(false);
  });
  it('does not carry a password-only session into a client that requires MFA', () => {
    const input = { enabled: true, acrValues: undefined, clientPolicy: 'required' as const, sessionAcr: ACR_PASSWORD, mfaAcr: ACR_MFA };
    expect(sessionNeedsStepUp(input)).toBe(true);
    expect(sessionNeedsStepUp({ ...input, sessionAcr: ACR_MFA })).toBe(false);
    expect(sessionNeedsStepUp({ ...input, enabled: false })).toBe(false);
  });
});

describe('backoff schedule', () => {
  it('is free for the first failures, then doubles, then stays at the cap', () => {
    const s = { free: 2, baseSeconds: 1, capSeconds: 10 };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100, 10_000].map((n) => backoffSeconds(n, s))).toEqual([0, 0, 0, 1, 2, 4, 8, 10, 10, 10]);
  });
  it('never locks anyone out for longer than the cap', () => {
    expect(backoffSeconds(1e9, ACCOUNT_IP_BACKOFF)).toBe(ACCOUNT_IP_BACKOFF.capSeconds);
    expect(ACCOUNT_BACKOFF.capSeconds).toBeLessThanOrEqual(60);
  });
});

describe('trusted devices', () => {
  const device = { id: 'd', userId: 'u', label: 'Chrome on Linux', createdAt: 0, expiresAt: 100, revokedAt: null };
  it('is trusted for its user until it expires or is revoked', () => {
    expect(isDeviceTrusted(device, 'u', 50)).toBe(true);
    expect(isDeviceTrusted(device, 'other', 50)).toBe(false);
    expect(isDeviceTrusted(device, 'u', 100)).toBe(false);
    expect(isDeviceTrusted({ ...device, revokedAt: 10 }, 'u', 50)).toBe(false);
    expect(isDeviceTrusted(undefined, 'u', 50)).toBe(false);
  });
  it('labels a device without identifying detail', () => {
    expect(deviceLabel('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36')).toBe('Chrome on Linux');
    expect(deviceLabel(undefined)).toBe('Browser');
  });
});
