/** The TOTP enrolment state machine (domain/totp-enrolment.ts): every transition, allowed and refused. */
import { describe, expect, it } from 'vitest';
import { beginEnrolment, confirmEnrolment, ENROLMENT_TTL_MS, isExpired, MAX_CONFIRM_ATTEMPTS, removeEnrolment, type EnrolmentState } from '../../server/modules/auth/domain/totp-enrolment.js';

const none: EnrolmentState = { status: 'none' };
const pendingAt = (now: number) => {
  const step = beginEnrolment(none, 'sealed-1', now);
  if (!step.ok || step.state.status === 'none') throw new Error('begin failed');
  return step.state;
};

describe('TOTP enrolment', () => {
  it('none → pending with the sealed secret and no used step', () => {
    expect(pendingAt(10)).toEqual({ status: 'pending', sealedSecret: 'sealed-1', lastStep: null, createdAt: 10, activatedAt: null, attempts: 0 });
  });
  it('pending → pending again with a fresh secret (a new QR code replaces the old)', () => {
    const step = beginEnrolment({ ...pendingAt(0), attempts: 2 }, 'sealed-2', 50);
    expect(step).toMatchObject({ ok: true, state: { status: 'pending', sealedSecret: 'sealed-2', attempts: 0, createdAt: 50 } });
  });
  it('active refuses begin: remove first', () => {
    const active = confirmEnrolment(pendingAt(0), 7, 1);
    expect(beginEnrolment(active.state, 'x', 2)).toEqual({ ok: false, error: 'already_enrolled', state: active.state });
  });
  it('pending → active on a matching code; the confirming step is spent', () => {
    expect(confirmEnrolment(pendingAt(0), 42, 1000)).toEqual({
      ok: true,
      state: { status: 'active', sealedSecret: 'sealed-1', lastStep: 42, createdAt: 0, activatedAt: 1000, attempts: 0 },
    });
  });
  it('a wrong code counts an attempt; the last allowed one drops the enrolment', () => {
    let state: EnrolmentState = pendingAt(0);
    for (let i = 1; i < MAX_CONFIRM_ATTEMPTS; i += 1) {
      const step = confirmEnrolment(state, undefined, 1);
      expect(step).toMatchObject({ ok: false, error: 'invalid_code', state: { status: 'pending', attempts: i } });
      state = step.state;
    }
    expect(confirmEnrolment(state, undefined, 1)).toEqual({ ok: false, error: 'too_many_attempts', state: none });
  });
  it('an expired enrolment cannot be confirmed and is dropped', () => {
    const state = pendingAt(0);
    expect(isExpired(state, ENROLMENT_TTL_MS)).toBe(false);
    expect(isExpired(state, ENROLMENT_TTL_MS + 1)).toBe(true);
    expect(confirmEnrolment(state, 5, ENROLMENT_TTL_MS + 1)).toEqual({ ok: false, error: 'expired', state: none });
  });
  it('confirm without begin, or after activation, is refused', () => {
    expect(confirmEnrolment(none, 5, 0)).toEqual({ ok: false, error: 'not_started', state: none });
    const active = confirmEnrolment(pendingAt(0), 7, 1).state;
    expect(confirmEnrolment(active, 8, 2)).toMatchObject({ ok: false, error: 'already_enrolled' });
  });
  it('remove → none', () => {
    expect(removeEnrolment()).toEqual({ ok: true, state: none });
  });
});
