/**
 * Shared parts of the high-security suites: client key pairs (public JWK for registration, private
 * key for openid-client), a local document server for jwks_uri and sector_identifier_uri, raw
 * client assertions for the failure cases, and openid-client configurations with each client
 * authentication method. Not a test file: vitest only collects `*.test.ts`.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { client } from '../../helpers/rp.js';

export interface ClientKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK a client registers (with kid and alg). */
  jwk: JWK;
  kid: string;
}

export async function clientKey(alg: 'ES256' | 'PS256' | 'EdDSA' | 'RSA-OAEP-256' = 'ES256', use: 'sig' | 'enc' = 'sig'): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicKey, kid, jwk: { ...jwk, kid, alg, use } };
}

export interface DocumentServer {
  origin: string;
  /** Serves `body` as JSON at `path` from now on. */
  serve(path: string, body: unknown): void;
  /** Requests received, by path. */
  hits: string[];
  close(): Promise<void>;
}

export async function startDocumentServer(): Promise<DocumentServer> {
  const documents = new Map<string, string>();
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = documents.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ?? '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (path, body) => void documents.set(path, JSON.stringify(body)),
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A private_key_jwt client assertion (RFC 7523) as a client makes it; `claims` overrides any claim. */
export async function clientAssertion(key: ClientKey, clientId: string, audience: string, claims: Record<string, unknown> = {}, alg = 'ES256'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg, kid: key.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(key.privateKey);
}

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** openid-client against the test provider with the given client authentication. */
export function rp(issuer: string, clientId: string, auth: client.ClientAuth, metadata: Partial<client.ClientMetadata> = {}) {
  return client.discovery(new URL(issuer), clientId, metadata, auth, { execute: [client.allowInsecureRequests] });
}
