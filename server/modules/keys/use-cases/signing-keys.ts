/** Use cases over signing keys: make sure they exist, rotate them, load what to publish. */
import type { Clock } from '../../../shared/clock.js';
import { expiredKeys, keySetVersion, missingAlgs, planRotation, publishedKeys, type SigningAlg } from '../domain/key-set.js';
import type { Jwk, KeyGenerator, SigningKeyRepository, StoredKey } from '../ports.js';

export interface SigningKeyDeps {
  keys: SigningKeyRepository;
  generator: KeyGenerator;
  clock: Clock;
}

async function generateKey(deps: SigningKeyDeps, alg: SigningAlg): Promise<StoredKey> {
  const generated = await deps.generator.generate(alg);
  const key: StoredKey = { ...generated, alg, status: 'active', createdAt: deps.clock.now(), verifyUntil: null };
  await deps.keys.insert(key);
  return key;
}

/** Creates an active key for every algorithm that has none. @returns the kids created. */
export async function ensureSigningKeys(deps: SigningKeyDeps): Promise<string[]> {
  const created: string[] = [];
  for (const alg of missingAlgs(await deps.keys.list())) created.push((await generateKey(deps, alg)).kid);
  return created;
}

export interface RotationResult {
  created: string[];
  retired: string[];
  verifyUntil: Date;
}

/** New active keys for every algorithm; the previous ones verify for `overlapSeconds` more. */
export async function rotateSigningKeys(deps: SigningKeyDeps, overlapSeconds: number): Promise<RotationResult> {
  const plan = planRotation(await deps.keys.list(), deps.clock.now(), overlapSeconds);
  const created: string[] = [];
  for (const alg of plan.generate) created.push((await generateKey(deps, alg)).kid);
  await deps.keys.retire(plan.retire, plan.verifyUntil);
  return { created, retired: plan.retire, verifyUntil: plan.verifyUntil };
}

export interface LoadedKeys {
  /** Private JWKs for the provider, the signing key of each algorithm first. */
  jwks: Jwk[];
  version: string;
}

/** Deletes keys past their overlap and returns the ones to publish. */
export async function loadSigningKeys(deps: SigningKeyDeps): Promise<LoadedKeys> {
  const now = deps.clock.now();
  const all = await deps.keys.list();
  const expired = expiredKeys(all, now);
  if (expired.length) await deps.keys.delete(expired);
  const published = publishedKeys(all, now);
  return { jwks: published.map((k) => k.privateJwk), version: keySetVersion(published) };
}
