/**
 * Signing key lifecycle. Each algorithm has one active key that signs; rotation adds a new
 * active key and retires the old one, which stays published (so tokens it signed keep
 * verifying) until its overlap period ends, and is then deleted. Pure: time comes in as `now`.
 */
export const SIGNING_ALGS = ['RS256', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export interface KeyRecord {
  kid: string;
  alg: SigningAlg;
  status: 'active' | 'retired';
  createdAt: Date;
  verifyUntil: Date | null;
}

const newestFirst = <K extends KeyRecord>(a: K, b: K) => b.createdAt.getTime() - a.createdAt.getTime();

/**
 * The keys to load into the provider, in order: active keys first (newest first, so the newest
 * signs), then retired keys still inside their overlap period (verification only).
 */
export function publishedKeys<K extends KeyRecord>(keys: readonly K[], now: Date): K[] {
  const active = keys.filter((k) => k.status === 'active').sort(newestFirst);
  const retiring = keys
    .filter((k) => k.status === 'retired' && k.verifyUntil !== null && k.verifyUntil > now)
    .sort(newestFirst);
  return [...active, ...retiring];
}

/** Algorithms that have no active key yet. */
export function missingAlgs(keys: readonly KeyRecord[]): SigningAlg[] {
  return SIGNING_ALGS.filter((alg) => !keys.some((k) => k.alg === alg && k.status === 'active'));
}

export interface RotationPlan {
  retire: string[];
  verifyUntil: Date;
  generate: SigningAlg[];
}

/** Rotating replaces every active key; the retired ones verify for `overlapSeconds` more. */
export function planRotation(keys: readonly KeyRecord[], now: Date, overlapSeconds: number): RotationPlan {
  return {
    retire: keys.filter((k) => k.status === 'active').map((k) => k.kid),
    verifyUntil: new Date(now.getTime() + overlapSeconds * 1000),
    generate: [...SIGNING_ALGS],
  };
}

/** Retired keys whose overlap period has ended. */
export function expiredKeys(keys: readonly KeyRecord[], now: Date): string[] {
  return keys.filter((k) => k.status === 'retired' && (k.verifyUntil === null || k.verifyUntil <= now)).map((k) => k.kid);
}

/** A fingerprint of the published set: processes compare it to notice a rotation. */
export function keySetVersion(keys: readonly KeyRecord[]): string {
  return keys.map((k) => `${k.kid}:${k.status}`).sort().join(',');
}
