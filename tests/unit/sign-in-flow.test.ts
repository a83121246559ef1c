/** Every transition of the sign-in state machine (server/modules/auth/domain/sign-in-flow.ts), from the right state and the wrong ones. */
import { describe, expect, it } from 'vitest';
import {
  codeRejected,
  enrolledElsewhere,
  enrolmentConfirmed,
  firstFactorPassed,
  liveState,
  passwordChanged,
  passwordChangeRequired,
  recoveryCodesShown,
  secondFactorPassed,
  smsSent,
  upstreamMfaPassed,
  type FirstFactor,
  type SignInState,
} from '../../server/modules/auth/domain/sign-in-flow.js';

const first: FirstFactor = { uid: 'uid-1', userId: 'u1', remember: true, methods: ['pwd'], expiresAt: 10_000 };
const base = { ...first, attempts: 0 };
const passwordChange: SignInState = { ...base, step: 'password_change' };
const challenge: SignInState = { ...base, step: 'challenge', reason: 'enrolled' };
const enrolment: SignInState = { ...base, step: 'enrolment', reason: 'client_policy' };
const codes: SignInState = { ...base, step: 'recovery_codes', reason: 'client_policy', methods: ['pwd', 'otp'] };
const all = [passwordChange, challenge, enrolment, codes];
const others = (...keep: SignInState[]) => all.filter((s) => !keep.includes(s));

describe('sign-in flow', () => {
  it('waits for a new password when the old one must be replaced, then goes on as after the first factor', () => {
    const state = passwordChangeRequired(first);
    expect(state).toEqual({ ...first, attempts: 0, step: 'password_change' });
    expect(passwordChanged(state)).toEqual(first);
    for (const s of others(passwordChange)) expect(passwordChanged(s)).toBeUndefined();
  });

  it('finishes at once when the policy asks for no second factor, saying why', () => {
    expect(firstFactorPassed(first, { action: 'none', reason: 'trusted_device' })).toEqual({
      kind: 'done',
      result: { userId: 'u1', methods: ['pwd'], remember: true, trust: false, via: 'trusted_device' },
    });
  });

  it('waits for a factor on file, or for an enrolment when there is none', () => {
    expect(firstFactorPassed(first, { action: 'challenge', reason: 'enrolled', factors: ['totp'] })).toEqual({ kind: 'pending', state: challenge });
    expect(firstFactorPassed(first, { action: 'enrol', reason: 'client_policy' })).toEqual({ kind: 'pending', state: enrolment });
  });

  it('takes a trusted upstream MFA as the second factor', () => {
    expect(upstreamMfaPassed({ userId: 'u1' })).toEqual({ userId: 'u1', methods: ['fed', 'mfa'], remember: false, trust: false, via: 'upstream_mfa' });
  });

  it('remembers the SMS challenge sent, only while a factor is asked for', () => {
    expect(smsSent(challenge, 'c1')).toEqual({ kind: 'pending', state: { ...challenge, smsChallengeId: 'c1' } });
    for (const s of others(challenge)) expect(smsSent(s, 'c1')).toEqual({ kind: 'refused' });
  });

  it('counts wrong codes of a challenge or an enrolment', () => {
    expect(codeRejected(challenge)).toEqual({ kind: 'pending', state: { ...challenge, attempts: 1 } });
    expect(codeRejected({ ...enrolment, attempts: 2 })).toEqual({ kind: 'pending', state: { ...enrolment, attempts: 3 } });
    for (const s of others(challenge, enrolment)) expect(codeRejected(s)).toEqual({ kind: 'refused' });
  });

  it('finishes after a second factor with its method in amr, and the trust choice', () => {
    expect(secondFactorPassed(challenge, 'sms', true)).toEqual({ kind: 'done', result: { userId: 'u1', methods: ['pwd', 'sms'], remember: true, trust: true } });
    for (const s of others(challenge)) expect(secondFactorPassed(s, 'otp', false)).toEqual({ kind: 'refused' });
  });

  it('shows the recovery codes after a confirmed enrolment, with otp in amr', () => {
    expect(enrolmentConfirmed(enrolment)).toEqual({ kind: 'pending', state: { ...enrolment, step: 'recovery_codes', methods: ['pwd', 'otp'] } });
    for (const s of others(enrolment)) expect(enrolmentConfirmed(s)).toEqual({ kind: 'refused' });
  });

  it('asks for the factor when another tab enrolled first', () => {
    expect(enrolledElsewhere(enrolment)).toEqual({ kind: 'pending', state: { ...enrolment, step: 'challenge' } });
    for (const s of others(enrolment)) expect(enrolledElsewhere(s)).toEqual({ kind: 'refused' });
  });

  it('finishes once the recovery codes were shown', () => {
    expect(recoveryCodesShown(codes, false)).toEqual({ kind: 'done', result: { userId: 'u1', methods: ['pwd', 'otp'], remember: true, trust: false } });
    for (const s of others(codes)) expect(recoveryCodesShown(s, true)).toEqual({ kind: 'refused' });
  });

  it('treats a state of another interaction, or an expired one, as none', () => {
    expect(liveState(challenge, 'uid-1', 9_999)).toBe(challenge);
    expect(liveState(challenge, 'uid-2', 9_999)).toBeUndefined();
    expect(liveState(challenge, 'uid-1', 10_000)).toBeUndefined();
    expect(liveState(undefined, 'uid-1', 0)).toBeUndefined();
  });
});
