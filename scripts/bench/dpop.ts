/**
 * DPoP proofs (RFC 9449) for the bench, made with jose: one key pair per run, a fresh proof
 * (own jti and iat) per request. Proofs are made before a measured run, so their signing costs
 * the client, not the providers being measured.
 */
import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface DpopKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** The key's JWK thumbprint: what a DPoP-bound token's cnf.jkt holds. */
  jkt: string;
}

export async function dpopKey(): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = await exportJWK(publicKey);
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk) };
}

/** One proof for `htm` `htu`; with `accessToken`, bound to it (`ath`, §4.2). */
export async function dpopProof(key: DpopKey, htm: string, htu: string, accessToken?: string): Promise<string> {
  const ath = accessToken ? createHash('sha256').update(accessToken).digest('base64url') : undefined;
  return new SignJWT({ htm, htu, jti: randomUUID(), ...(ath ? { ath } : {}) })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk })
    .setIssuedAt()
    .sign(key.privateKey);
}

/** `count` proofs, handed out one per request by the returned function (never one twice). */
export async function proofPool(count: number, make: () => Promise<string>): Promise<() => Record<string, string>> {
  const proofs: string[] = [];
  // In chunks: thousands of pending signatures at once only queue up in the thread pool.
  for (let i = 0; i < count; i += 200) proofs.push(...(await Promise.all(Array.from({ length: Math.min(200, count - i) }, make))));
  let next = 0;
  return () => ({ dpop: proofs[next++ % proofs.length]! });
}
