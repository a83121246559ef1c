/**
 * Keyed digests of self-service secrets (HMAC-SHA-256) and their generation. The key is derived
 * from the key-encryption key with HKDF, so a copy of the database alone cannot even test guesses
 * of a six-digit code offline. Link tokens carry 256 bits; codes are uniform decimal digits.
 */
import { createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { SecretDigester, SecretGenerator } from '../../server/modules/self-service/index.js';

export function createSecretDigester(keyEncryptionKey: string): SecretDigester {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(keyEncryptionKey, 'base64url'), Buffer.alloc(0), 'self-service-secret-digest', 32));
  const digest = (secret: string) => createHmac('sha256', key).update(secret, 'utf8').digest('base64url');
  return {
    digest,
    matches(secret, stored) {
      if (!stored) return false;
      const a = Buffer.from(digest(secret));
      const b = Buffer.from(stored);
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

export const randomSecrets: SecretGenerator = {
  token: () => randomBytes(32).toString('base64url'),
  code: (digits) => Array.from({ length: digits }, () => String(randomInt(10))).join(''),
};
