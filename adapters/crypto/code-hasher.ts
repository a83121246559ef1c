/**
 * Keyed hashes (HMAC-SHA-256) of short one-time codes. The key is derived from the
 * key-encryption key with HKDF, one key per purpose, so a copied table of hashes alone does not
 * let anyone test guesses offline, and a hash made for one purpose means nothing for another.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { CodeHasher } from '../../server/modules/auth/index.js';

export function createCodeHasher(keyEncryptionKeyBase64url: string): CodeHasher {
  const master = Buffer.from(keyEncryptionKeyBase64url, 'base64url');
  const keys = new Map<string, Buffer>();
  const keyFor = (purpose: string) => {
    let key = keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `oidc-server ${purpose}`, 32));
      keys.set(purpose, key);
    }
    return key;
  };
  return { hash: (purpose, code) => createHmac('sha256', keyFor(purpose)).update(code).digest('base64url') };
}
