/** What the keys module needs: storage (private keys encrypted by the repository) and generation. */
import type { KeyRecord, SigningAlg } from './domain/key-set.js';

export type Jwk = Record<string, unknown> & { kid: string; kty: string };

export interface StoredKey extends KeyRecord {
  publicJwk: Jwk;
  privateJwk: Jwk;
}

export interface SigningKeyRepository {
  list(): Promise<StoredKey[]>;
  insert(key: StoredKey): Promise<void>;
  retire(kids: string[], verifyUntil: Date): Promise<void>;
  delete(kids: string[]): Promise<void>;
}

export interface KeyGenerator {
  generate(alg: SigningAlg): Promise<{ kid: string; publicJwk: Jwk; privateJwk: Jwk }>;
}
