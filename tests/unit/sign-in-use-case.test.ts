/**
 * server/modules/auth/use-cases/sign-in.ts with in-memory ports: outcomes of each call, the state
 * it stores and removes, factors looked up by the form's method, and every sign-in audit record
 * written by the flow itself.
 */
import { describe, expect, it } from 'vitest';
import { ACR_MFA, ACR_PASSWORD, createSignInFlow, type SignInFlowDeps, type SignInRequest, type SignInState } from '../../server/modules/auth/index.js';
import type { AuditEvent } from '../../server/modules/compliance/index.js';

const req: SignInRequest = { uid: 'uid-1', ip: '192.0.2.1', clientId: 'app', clientPolicy: 'optional', acrValues: undefined, trustedDeviceId: undefined };

function setup(options: { factor?: 'totp' | 'none'; mustChange?: boolean; waitSeconds?: number; clientPolicy?: 'required' } = {}) {
  let now = 1_000_000;
  const stored = new Map<string, SignInState>();
  const events: AuditEvent[] = [];
  const calls: string[] = [];
  const deps: SignInFlowDeps = {
    flows: { save: async (s) => void stored.set(s.uid, s), find: async (uid) => stored.get(uid), delete: async (uid) => void stored.delete(uid) },
    authenticate: async (login, password) => (login === 'alice' && password === 'right' ? { ok: true, userId: 'u1', mustChangePassword: options.mustChange === true } : { ok: false }),
    changePassword: async () => void calls.push('changePassword'),
    username: async () => 'alice',
    throttle: { check: () => ({ allowed: true }), recordFailure: async () => void calls.push('throttle.recordFailure') },
    lockout: {
      passwordWait: async () => options.waitSeconds ?? 0,
      passwordFailed: async () => void calls.push('lockout.passwordFailed'),
      passwordSucceeded: async () => void calls.push('lockout.passwordSucceeded'),
      mfaWait: async () => 0,
      mfaFailed: async () => void calls.push('lockout.mfaFailed'),
      mfaSucceeded: async () => void calls.push('lockout.mfaSucceeded'),
      passkeyWait: async () => 0,
      passkeyFailed: async () => void calls.push('lockout.passkeyFailed'),
    },
    mfa: {
      decide: async () =>
        options.clientPolicy === 'required' && options.factor !== 'totp'
          ? { action: 'enrol', reason: 'client_policy' }
          : options.factor === 'totp' ? { action: 'challenge', reason: 'enrolled', factors: ['totp'] } : { action: 'none', reason: 'not_required' },
      isTrustedDevice: async () => false,
      trustDevice: async (userId) => ({ id: 'd1', userId, label: '', createdAt: now, expiresAt: now + 1000, revokedAt: null }),
      listFactors: async () => [],
      verifyTotp: async (_u, code) => (code === '123456' ? { ok: true } : { ok: false, reason: 'invalid_code' }),
      useRecoveryCode: async (_u, code) => code === 'AAAAA-BBBBB',
      verifySmsCode: async (_u, challenge, code) => (challenge === 'c1' && code === '999999' ? { ok: true } : { ok: false, reason: 'invalid_code' }),
      sendSmsCode: async () => ({ ok: true, challengeId: 'c1', maskedPhone: '•••78' }),
      currentTotpEnrolment: async () => undefined,
      beginTotpEnrolment: async () => ({ secret: 'S', otpauthUri: 'otpauth://', qrCodeDataUri: 'data:' }),
      confirmTotpEnrolment: async (_u, code) => (code === '123456' ? { ok: true } : { ok: false, error: 'invalid_code' }),
      generateRecoveryCodes: async () => ['AAAAA-BBBBB'],
    },
    audit: { record: async (e) => void events.push(e) },
    clock: { now: () => new Date(now) },
    ttlMs: 60_000,
    isActive: async () => true,
  };
  return { flow: createSignInFlow(deps), stored, events, calls, advance: (ms: number) => (now += ms), types: () => events.map((e) => e.type) };
}

describe('sign-in use case', () => {
  it('finishes a password-only sign-in with amr pwd and stores nothing', async () => {
    const { flow, stored, types } = setup();
    expect(await flow.submitPassword(req, { login: 'alice', password: 'right', remember: true })).toEqual({ next: 'done', userId: 'u1', amr: ['pwd'], acr: ACR_PASSWORD, remember: true });
    expect(stored.size).toBe(0);
    expect(types()).toEqual(['auth.login.success']);
  });

  it('answers a wrong password generically, charging throttle and lockout, audited without the name', async () => {
    const { flow, events, calls } = setup();
    expect(await flow.submitPassword(req, { login: 'alice', password: 'wrong', remember: false })).toEqual({ next: 'error', error: 'invalid_credentials' });
    expect(calls).toEqual(['throttle.recordFailure', 'lockout.passwordFailed']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'auth.login.failure', details: { stage: 'password' } });
    expect(JSON.stringify(events)).not.toContain('alice');
  });

  it('refuses a throttled attempt before checking the password', async () => {
    const { flow, types } = setup({ waitSeconds: 30 });
    expect(await flow.submitPassword(req, { login: 'alice', password: 'right', remember: false })).toEqual({ next: 'error', error: 'throttled', retryAfter: 30 });
    expect(types()).toEqual(['auth.login.throttled']);
  });

  it('waits for a second factor, refuses a wrong code, and finishes with the factor the form names', async () => {
    const { flow, stored, types, calls } = setup({ factor: 'totp' });
    expect(await flow.submitPassword(req, { login: 'alice', password: 'right', remember: false })).toEqual({ next: 'mfa' });
    expect(stored.get('uid-1')).toMatchObject({ step: 'challenge', userId: 'u1', methods: ['pwd'], expiresAt: 1_060_000 });
    expect(await flow.submitSecondFactor(req, 'totp', { code: '000000', trust: false })).toEqual({ next: 'error', error: 'invalid_code' });
    expect(stored.get('uid-1')?.attempts).toBe(1);
    // An SMS code is accepted only for the challenge sent in this sign-in.
    expect(await flow.submitSecondFactor(req, 'sms', { code: '999999', trust: false })).toEqual({ next: 'error', error: 'invalid_code' });
    expect(await flow.sendSms(req, 'en')).toEqual({ next: 'sms_sent', maskedPhone: '•••78' });
    const done = await flow.submitSecondFactor(req, 'sms', { code: '999999', trust: true });
    expect(done).toMatchObject({ next: 'done', amr: ['pwd', 'sms', 'mfa'], acr: ACR_MFA, trustedDevice: { id: 'd1' } });
    expect(stored.size).toBe(0);
    expect(calls.filter((c) => c.startsWith('lockout.mfa'))).toEqual(['lockout.mfaFailed', 'lockout.mfaFailed', 'lockout.mfaSucceeded']);
    expect(types()).toEqual(['auth.mfa.challenge', 'auth.mfa.failure', 'auth.mfa.failure', 'auth.mfa.success', 'auth.login.success']);
  });

  it('leaves the failure record of a recovery code to its own use case', async () => {
    const { flow, types } = setup({ factor: 'totp' });
    await flow.submitPassword(req, { login: 'alice', password: 'right', remember: false });
    expect(await flow.submitSecondFactor(req, 'recovery', { code: 'ZZZZZ-ZZZZZ', trust: false })).toEqual({ next: 'error', error: 'invalid_code' });
    expect(await flow.submitSecondFactor(req, 'recovery', { code: 'AAAAA-BBBBB', trust: false })).toMatchObject({ next: 'done', amr: ['pwd', 'otp', 'mfa'] });
    expect(types()).toEqual(['auth.mfa.challenge', 'auth.mfa.success', 'auth.login.success']);
  });

  it('refuses an expired state and a state of another interaction', async () => {
    const { flow, advance } = setup({ factor: 'totp' });
    await flow.submitPassword(req, { login: 'alice', password: 'right', remember: false });
    expect(await flow.submitSecondFactor({ ...req, uid: 'uid-2' }, 'totp', { code: '123456', trust: false })).toEqual({ next: 'restart' });
    advance(60_000);
    expect(await flow.submitSecondFactor(req, 'totp', { code: '123456', trust: false })).toEqual({ next: 'restart' });
    expect(await flow.challenge(req)).toBeUndefined();
  });

  it('enrols, shows recovery codes, then finishes with otp', async () => {
    const { flow, stored } = setup({ clientPolicy: 'required' });
    expect(await flow.submitPassword(req, { login: 'alice', password: 'right', remember: false })).toEqual({ next: 'enrol' });
    expect(await flow.finishEnrolment(req, false)).toEqual({ next: 'restart' });
    expect(await flow.confirmEnrolment(req, '111111')).toEqual({ next: 'error', error: 'invalid_code' });
    expect(await flow.confirmEnrolment(req, '123456')).toEqual({ next: 'recovery_codes', codes: ['AAAAA-BBBBB'] });
    expect(await flow.submitSecondFactor(req, 'totp', { code: '123456', trust: false })).toEqual({ next: 'restart' });
    expect(await flow.finishEnrolment(req, false)).toMatchObject({ next: 'done', amr: ['pwd', 'otp', 'mfa'] });
    expect(stored.size).toBe(0);
  });

  it('asks for a new password first when the old one must be replaced', async () => {
    const { flow, calls } = setup({ mustChange: true });
    expect(await flow.submitPassword(req, { login: 'alice', password: 'right', remember: false })).toEqual({ next: 'password_change', userId: 'u1' });
    expect(await flow.pendingPasswordChange(req)).toBe('u1');
    expect(await flow.changePassword(req, { password: 'a', confirm: 'b' })).toEqual({ next: 'error', error: 'password_mismatch' });
    expect(await flow.changePassword(req, { password: 'new one', confirm: 'new one' })).toMatchObject({ next: 'done', amr: ['pwd'] });
    expect(calls).toContain('changePassword');
    expect(await flow.pendingPasswordChange(req)).toBeUndefined();
  });

  it('takes a trusted upstream MFA as done, otherwise applies the policy after fed', async () => {
    expect(await setup().flow.federated(req, 'u1', true)).toMatchObject({ next: 'done', amr: ['fed', 'mfa'], acr: ACR_MFA });
    expect(await setup({ factor: 'totp' }).flow.federated(req, 'u1', false)).toEqual({ next: 'mfa' });
  });
});
