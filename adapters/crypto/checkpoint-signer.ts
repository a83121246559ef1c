/**
 * Signs audit retention checkpoints with HMAC-SHA256 under a key derived (HKDF) from the
 * key-encryption key. Why not a JWS with the provider's signing key: signing keys rotate and are
 * deleted after KEY_ROTATION_OVERLAP, so a checkpoint signed by one would become unverifiable a
 * few days later; the key-encryption key lives as long as the deployment and the CLI has it.
 * Anyone who holds it can forge a checkpoint, but they can also decrypt every signing key, so
 * this adds no weaker link. The derived key is used for nothing else.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { CheckpointSigner } from '../../server/modules/compliance/index.js';

export function createCheckpointSigner(keyEncryptionKey: string): CheckpointSigner {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(keyEncryptionKey, 'base64url'), Buffer.alloc(0), 'oidc-server audit checkpoint v1', 32));
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();
  return {
    sign: (payload) => `hs256.${mac(payload).toString('base64url')}`,
    verify(payload, signature) {
      if (!signature.startsWith('hs256.')) return false;
      const given = Buffer.from(signature.slice(6), 'base64url');
      const expected = mac(payload);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
