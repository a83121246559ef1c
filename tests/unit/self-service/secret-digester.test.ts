import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretDigester, randomSecrets } from '../../../adapters/crypto/secret-digester.js';

const key = () => randomBytes(32).toString('base64url');

describe('secret digests', () => {
  it('are keyed: the same code gives different digests under different keys, and never the code itself', () => {
    const a = createSecretDigester(key());
    const b = createSecretDigester(key());
    expect(a.digest('123456')).not.toBe(b.digest('123456'));
    expect(a.digest('123456')).not.toContain('123456');
    expect(a.digest('123456')).toBe(a.digest('123456'));
  });

  it('match only the right secret, and never a missing digest', () => {
    const d = createSecretDigester(key());
    const stored = d.digest('654321');
    expect(d.matches('654321', stored)).toBe(true);
    expect(d.matches('654320', stored)).toBe(false);
    expect(d.matches('654321', null)).toBe(false);
  });

  it('generates 256-bit tokens and uniform numeric codes of the asked length', () => {
    expect(Buffer.from(randomSecrets.token(), 'base64url')).toHaveLength(32);
    const codes = Array.from({ length: 200 }, () => randomSecrets.code(6));
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});
