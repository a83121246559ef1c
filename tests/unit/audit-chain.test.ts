/**
 * The audit chain's pure parts: the canonical serialization is pinned (changing it would break
 * every stored chain), records link by hash, sanitizing bounds what a record can hold, cursors
 * refuse anything they did not produce, and checkpoint signatures bind every field.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCheckpointSigner } from '../../adapters/crypto/checkpoint-signer.js';
import { canonicalRecord, checkpointPayload, GENESIS_HASH, hashRecord, linkRecords, sanitizeEvent, type PendingRecord } from '../../server/modules/compliance/index.js';
import { decodeCursor, encodeCursor } from '../../server/modules/compliance/domain/search.js';

const pending: PendingRecord = {
  type: 'oidc.grant.success',
  outcome: 'success',
  actor: { type: 'user', id: 'u1' },
  subject: { type: 'user', id: 'u1' },
  clientId: 'web',
  ip: '203.0.113.9',
  userAgent: 'agent',
  requestId: 'req-1',
  details: { grantType: 'authorization_code', b: 2, a: true },
  occurredAt: new Date('2026-11-28T12:00:00.000Z'),
};

describe('audit chain', () => {
  it('hashes a pinned canonical form, independent of detail key order', () => {
    const first = { ...pending, seq: 1, prevHash: GENESIS_HASH };
    expect(hashRecord(first)).toBe(hashRecord({ ...first, details: { a: true, b: 2, grantType: 'authorization_code' } }));
    // SHA-256 of the documented form, computed independently (Python's json + hashlib).
    const canonical = '["audit-v1",1,"2026-11-28T12:00:00.000Z","oidc.grant.success","success","user","u1","user","u1","web","203.0.113.9","agent","req-1",[["a",true],["b",2],["grantType","authorization_code"]],"' + GENESIS_HASH + '"]';
    expect(canonicalRecord(first)).toBe(canonical);
    expect(hashRecord(first)).toBe('65bc5591cd47814be72be713d523f4248c810eff597f1b167df359ffb82b03d8');
  });

  it('links each record to the one before, continuing from the head', () => {
    const [a, b] = linkRecords({ seq: 41, hash: 'f'.repeat(64) }, [pending, { ...pending, outcome: 'failure' }]);
    expect(a).toMatchObject({ seq: 42, prevHash: 'f'.repeat(64) });
    expect(b).toMatchObject({ seq: 43, prevHash: a!.hash });
    expect(a!.hash).not.toBe(b!.hash);
    for (const field of ['type', 'outcome', 'clientId', 'ip', 'userAgent', 'requestId'] as const) {
      expect(hashRecord({ ...a!, [field]: 'changed' } as never)).not.toBe(a!.hash);
    }
    expect(hashRecord({ ...a!, occurredAt: new Date(a!.occurredAt.getTime() + 1) })).not.toBe(a!.hash);
    expect(hashRecord({ ...a!, details: { ...a!.details, b: 3 } })).not.toBe(a!.hash);
  });

  it('keeps at most 24 detail fields and bounds every string', () => {
    const details = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${i}`, 'v'.repeat(2000)]));
    const record = sanitizeEvent({ type: 'admin.user.updated', outcome: 'success', actor: { type: 'user', id: 'x'.repeat(1000) }, ip: '1'.repeat(100), details }, new Date());
    expect(Object.keys(record.details!)).toHaveLength(25);
    expect(record.details!.redacted).toBe(16);
    expect(String(record.details!.field0).length).toBeLessThanOrEqual(500);
    expect(record.actor.id!.length).toBeLessThanOrEqual(200);
    expect(record.ip!.length).toBeLessThanOrEqual(64);
  });

  it('reads back only cursors it made', () => {
    expect(decodeCursor(encodeCursor(1234))).toBe(1234);
    for (const junk of ['', 'abc', Buffer.from('s:-1').toString('base64url'), Buffer.from('s:1e9').toString('base64url')]) expect(decodeCursor(junk)).toBeUndefined();
  });

  it('signs checkpoints over every field, under a key derived from the key-encryption key', () => {
    const kek = randomBytes(32).toString('base64url');
    const signer = createCheckpointSigner(kek);
    const checkpoint = { seq: 10, hash: 'a'.repeat(64), cutoff: new Date('2026-01-01T00:00:00Z'), createdAt: new Date('2026-11-28T00:00:00Z') };
    const signature = signer.sign(checkpointPayload(checkpoint));
    expect(signer.verify(checkpointPayload(checkpoint), signature)).toBe(true);
    expect(createCheckpointSigner(kek).verify(checkpointPayload(checkpoint), signature)).toBe(true);
    expect(signer.verify(checkpointPayload({ ...checkpoint, seq: 11 }), signature)).toBe(false);
    expect(signer.verify(checkpointPayload({ ...checkpoint, hash: 'b'.repeat(64) }), signature)).toBe(false);
    expect(signer.verify(checkpointPayload(checkpoint), `${signature}x`)).toBe(false);
    expect(signer.verify(checkpointPayload(checkpoint), 'none')).toBe(false);
    expect(createCheckpointSigner(randomBytes(32).toString('base64url')).verify(checkpointPayload(checkpoint), signature)).toBe(false);
  });
});
