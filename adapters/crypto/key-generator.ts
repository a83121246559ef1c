/** Generates signing keys with jose; the kid is the RFC 7638 thumbprint of the public key. */
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { Jwk, KeyGenerator, SigningAlg } from '../../server/modules/keys/index.js';

export const joseKeyGenerator: KeyGenerator = {
  async generate(alg: SigningAlg) {
    // 2048-bit RSA is the floor NIST SP 800-57 sets through 2030; P-256 for ES256.
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const common = { kid, alg, use: 'sig' };
    return {
      kid,
      publicJwk: { ...publicJwk, ...common } as Jwk,
      privateJwk: { ...(await exportJWK(privateKey)), ...common } as Jwk,
    };
  },
};
