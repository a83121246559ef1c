/** The keys module's public face: signing key lifecycle. */
export { ensureSigningKeys, rotateSigningKeys, loadSigningKeys, type SigningKeyDeps, type LoadedKeys, type RotationResult } from './use-cases/signing-keys.js';
export { SIGNING_ALGS, type SigningAlg, type KeyRecord } from './domain/key-set.js';
export type { SigningKeyRepository, KeyGenerator, StoredKey, Jwk } from './ports.js';
