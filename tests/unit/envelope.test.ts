/** adapters/crypto/envelope.ts: AES-256-GCM sealing bound to a context. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretSealer } from '../../adapters/crypto/envelope.js';

const newKey = () => randomBytes(32).toString('base64url');
const SECRET = 'client-secret-value-0123456789abcdef';
const CONTEXT = 'client-secret:shop';

/** Flips one bit of the given dot-separated part of a sealed value. */
function tamper(sealed: string, part: 1 | 2, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[byte]! ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('createSecretSealer', () => {
  const sealer = createSecretSealer(newKey());

  it('round-trips, including non-ASCII and empty plaintexts', () => {
    for (const plaintext of [SECRET, 'päßwörd ✓', '', JSON.stringify({ kty: 'EC', d: 'x'.repeat(43) })]) {
      expect(sealer.open(sealer.seal(plaintext, CONTEXT), CONTEXT)).toBe(plaintext);
    }
  });

  it('does not contain the plaintext and never repeats a ciphertext', () => {
    const a = sealer.seal(SECRET, CONTEXT);
    const b = sealer.seal(SECRET, CONTEXT);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain(SECRET);
    expect(Buffer.from(a.split('.')[2]!, 'base64url').toString('latin1')).not.toContain(SECRET);
  });

  it('fails to open in another context (a ciphertext copied to another row)', () => {
    const sealed = sealer.seal(SECRET, CONTEXT);
    expect(() => sealer.open(sealed, 'client-secret:other')).toThrow();
  });

  it('fails to open a tampered ciphertext, IV or tag', () => {
    const sealed = sealer.seal(SECRET, CONTEXT);
    const bodyLength = Buffer.from(sealed.split('.')[2]!, 'base64url').length;
    expect(() => sealer.open(tamper(sealed, 2, 0), CONTEXT)).toThrow();
    expect(() => sealer.open(tamper(sealed, 2, bodyLength - 1), CONTEXT)).toThrow();
    expect(() => sealer.open(tamper(sealed, 1), CONTEXT)).toThrow();
  });

  it('fails to open with another key', () => {
    const sealed = sealer.seal(SECRET, CONTEXT);
    expect(() => createSecretSealer(newKey()).open(sealed, CONTEXT)).toThrow();
  });

  it('refuses malformed input and keys of the wrong size', () => {
    expect(() => sealer.open('plaintext', CONTEXT)).toThrow(/unrecognised ciphertext format/);
    expect(() => sealer.open(`v2.${sealer.seal(SECRET, CONTEXT).slice(3)}`, CONTEXT)).toThrow(/unrecognised/);
    const sealed = sealer.seal(SECRET, CONTEXT);
    expect(() => sealer.open(sealed.slice(0, sealed.lastIndexOf('.') + 8), CONTEXT)).toThrow();
    expect(() => createSecretSealer(randomBytes(16).toString('base64url'))).toThrow(/32 bytes/);
  });
});
