/**
 * A chain verification as an audit record: the event carries the outcome, the figures and who
 * asked, and reading the record back gives the same verification (ok with its head, or the break
 * with its reason), with nothing the result did not say.
 */
import { describe, expect, it } from 'vitest';
import { linkRecords, sanitizeEvent, verificationEvent, verificationOfRecord, GENESIS_HASH, type VerifyResult } from '../../server/modules/compliance/index.js';

const at = new Date('2026-12-02T07:00:00.000Z');
const stored = (result: VerifyResult, by: Parameters<typeof verificationEvent>[1], via: 'admin_api' | 'cli') =>
  linkRecords({ seq: 41, hash: GENESIS_HASH }, [sanitizeEvent(verificationEvent(result, by, via), at)])[0]!;

describe('audit.chain.verified records', () => {
  it('hold a successful walk with its head, asked by a console user through the admin API', () => {
    const record = stored({ ok: true, count: 40, head: { seq: 41, hash: 'h' }, checkpoint: undefined }, { actor: { type: 'user', id: 'u-1' }, clientId: 'admin-console', requestId: 'r-1' }, 'admin_api');
    expect(record).toMatchObject({ type: 'audit.chain.verified', outcome: 'success', actor: { type: 'user', id: 'u-1' }, clientId: 'admin-console', requestId: 'r-1', subject: { type: 'audit', id: 'chain' } });
    expect(verificationOfRecord(record)).toEqual({ ok: true, count: 40, checkedAt: at, headSeq: 41, by: { type: 'user', id: 'u-1' }, clientId: 'admin-console', via: 'admin_api' });
  });

  it('hold a break with the record and the reason, run by the system through the CLI', () => {
    const record = stored({ ok: false, count: 6, seq: 17, reason: 'its content does not match its hash (the record was altered)' }, { actor: { type: 'system' } }, 'cli');
    expect(record.outcome).toBe('failure');
    expect(verificationOfRecord(record)).toEqual({ ok: false, count: 6, checkedAt: at, brokenAt: 17, reason: 'its content does not match its hash (the record was altered)', by: { type: 'system' }, via: 'cli' });
  });

  it('are told apart from records of other types', () => {
    const [other] = linkRecords({ seq: 0, hash: GENESIS_HASH }, [sanitizeEvent({ type: 'auth.login.success', outcome: 'success', actor: { type: 'user', id: 'u-1' } }, at)]);
    expect(verificationOfRecord(other!)).toBeUndefined();
  });
});
