import { describe, expect, it } from 'vitest';
import { completeReset, openResetLink, requestReset, supersedeReset } from '../../../server/modules/self-service/index.js';

const t0 = new Date('2026-11-28T10:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const requested = () => requestReset({ id: 'r1', userId: 'u1', target: 'a@example.com' }, t0, 1800);

describe('recovery flow', () => {
  it('requestReset: a requested flow that expires after its lifetime', () => {
    expect(requested()).toMatchObject({ state: 'requested', expiresAt: later(1800), finishedAt: null });
  });

  it('openResetLink only checks: the flow stays requested, any number of times', () => {
    const flow = requested();
    expect(openResetLink(flow, later(10))).toEqual({ flow, outcome: 'usable' });
    expect(openResetLink(flow, later(20)).flow.state).toBe('requested');
  });

  it('completeReset: requested → completed, once', () => {
    const step = completeReset(requested(), later(30));
    expect(step).toMatchObject({ outcome: 'completed', flow: { state: 'completed', finishedAt: later(30) } });
    expect(completeReset(step.flow, later(31)).outcome).toBe('not_requested');
    expect(openResetLink(step.flow, later(31)).outcome).toBe('not_requested');
  });

  it('after expiry: requested → expired, by opening or completing', () => {
    expect(openResetLink(requested(), later(1800))).toMatchObject({ outcome: 'expired', flow: { state: 'expired' } });
    expect(completeReset(requested(), later(5000))).toMatchObject({ outcome: 'expired', flow: { state: 'expired' } });
  });

  it('supersedeReset: requested → superseded, which no longer completes', () => {
    const old = supersedeReset(requested(), later(60));
    expect(old.state).toBe('superseded');
    expect(completeReset(old, later(61)).outcome).toBe('not_requested');
    const done = completeReset(requested(), later(1)).flow;
    expect(supersedeReset(done, later(2))).toBe(done);
  });
});
