import { describe, expect, it } from 'vitest';
import { MAX_CODE_ATTEMPTS, presentCode, presentLink, startVerification, supersedeVerification, type VerificationFlow } from '../../../server/modules/self-service/index.js';

const t0 = new Date('2026-11-28T10:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const fresh = (): VerificationFlow => startVerification({ id: 'f1', kind: 'verify_email', userId: 'u1', target: 'a@example.com' }, t0, 600);

describe('verification flow', () => {
  it('starts pending, with no attempts, expiring after its lifetime', () => {
    expect(fresh()).toMatchObject({ state: 'pending', attempts: 0, expiresAt: later(600), finishedAt: null });
  });

  it('presentLink: pending → verified', () => {
    expect(presentLink(fresh(), later(10))).toMatchObject({ outcome: 'verified', flow: { state: 'verified', finishedAt: later(10) } });
  });

  it('presentCode with the right code: pending → verified', () => {
    expect(presentCode(fresh(), true, later(10))).toMatchObject({ outcome: 'verified', flow: { state: 'verified' } });
  });

  it('presentCode with a wrong code: stays pending and counts the attempt', () => {
    const step = presentCode(fresh(), false, later(10));
    expect(step).toMatchObject({ outcome: 'wrong_code', flow: { state: 'pending', attempts: 1 } });
  });

  it(`the ${MAX_CODE_ATTEMPTS}th wrong code locks the flow; then even the right code fails`, () => {
    let flow = fresh();
    for (let i = 1; i < MAX_CODE_ATTEMPTS; i += 1) flow = presentCode(flow, false, later(i)).flow;
    const last = presentCode(flow, false, later(60));
    expect(last).toMatchObject({ outcome: 'locked', flow: { state: 'locked', attempts: MAX_CODE_ATTEMPTS } });
    expect(presentCode(last.flow, true, later(61))).toMatchObject({ outcome: 'not_pending', flow: { state: 'locked' } });
  });

  it('anything presented at or after expiry: pending → expired (even the right code)', () => {
    expect(presentCode(fresh(), true, later(600))).toMatchObject({ outcome: 'expired', flow: { state: 'expired' } });
    expect(presentLink(fresh(), later(601))).toMatchObject({ outcome: 'expired', flow: { state: 'expired' } });
  });

  it('is single use: a verified flow accepts nothing more', () => {
    const done = presentLink(fresh(), later(1)).flow;
    expect(presentLink(done, later(2)).outcome).toBe('not_pending');
    expect(presentCode(done, true, later(2)).outcome).toBe('not_pending');
  });

  it('supersede: pending → superseded; a finished flow stays as it is', () => {
    expect(supersedeVerification(fresh(), later(5))).toMatchObject({ state: 'superseded', finishedAt: later(5) });
    const done = presentLink(fresh(), later(1)).flow;
    expect(supersedeVerification(done, later(5))).toBe(done);
    expect(presentCode(supersedeVerification(fresh(), later(5)), true, later(6)).outcome).toBe('not_pending');
  });
});
