/**
 * DPoP (RFC 9449) with openid-client's DPoP handle, server nonces on (DPOP_NONCES): a client with
 * dpop_bound_access_tokens gets DPoP-bound tokens only; a JWT access token and introspection
 * carry cnf.jkt; a public client's refresh token is bound to its key; userinfo takes the token
 * with its proof only. Refused, each with the exact bad proof: no nonce (use_dpop_nonce), a
 * replayed proof (also at another process sharing Redis), wrong htm, wrong htu, no proof at all,
 * the bound token presented as Bearer, a refresh with another key.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { API, defaultSeed, freePort, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { createTestDatabase, itWith, postgresUrl, type TestDatabase } from '../../helpers/stores.js';
import { alice, basic, introspect, postForm } from '../protocol/support.js';
import { rp } from './support.js';

const SERVICE = { client_id: 'dpop-service', client_secret: 'dpop-service-secret-that-is-long-enough-0123' };
const SPA = { client_id: 'dpop-spa', redirect_uri: 'http://localhost:5173/dpop-cb' };
const NONCE_SECRET = 'dpop-nonce-secret-for-tests-0123456789abcdef';
let op: TestProvider;
let database: TestDatabase | undefined;

beforeAll(async () => {
  const seed = defaultSeed();
  (seed.clients as unknown[]).push(
    { ...SERVICE, grant_types: ['client_credentials'], redirect_uris: [], resource_scopes: { [API.identifier]: API.scopes }, dpop_bound_access_tokens: true },
    { client_id: SPA.client_id, token_endpoint_auth_method: 'none', redirect_uris: [SPA.redirect_uri], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid email offline_access', dpop_bound_access_tokens: true },
  );
  // A database of its own that a second process can share (Postgres runs only; the embedded one has one owner).
  database = postgresUrl ? await createTestDatabase('postgres') : undefined;
  // TRUST_PROXY so a second process can be addressed as this one (X-Forwarded-Host) in the shared-replay test.
  op = await startTestProvider({ seed, ...(database ? { database } : {}), env: { DPOP_NONCES: 'true', DPOP_NONCE_SECRET: NONCE_SECRET, TRUST_PROXY: 'true' } });
}, 180_000);
afterAll(async () => {
  await op?.stop();
  await database?.drop();
});

interface Proofs {
  jwk: JWK;
  privateKey: CryptoKey;
  thumbprint: string;
  proof(claims: { htm?: string; htu: string; nonce?: string; ath?: string }): Promise<string>;
}

async function proofKey(): Promise<Proofs> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  return {
    jwk,
    privateKey,
    thumbprint: await calculateJwkThumbprint(jwk),
    proof: ({ htm = 'POST', ...rest }) =>
      new SignJWT({ htm, jti: randomUUID(), ...rest }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk }).setIssuedAt().sign(privateKey),
  };
}

const tokenUrl = () => `${op.issuer}/token`;
const serviceToken = (headers: Record<string, string>, base = tokenUrl()) =>
  postForm(base, { grant_type: 'client_credentials', resource: API.identifier, scope: 'orders:read' }, { authorization: basic(SERVICE.client_id, SERVICE.client_secret), ...headers });

/** A fresh server nonce, as a client learns it: from the use_dpop_nonce answer to a proof without one. */
async function nonce(key: Proofs): Promise<string> {
  const { status, body, headers } = await serviceToken({ dpop: await key.proof({ htu: tokenUrl() }) });
  expect(status).toBe(400);
  expect(body.error).toBe('use_dpop_nonce');
  return headers.get('dpop-nonce')!;
}

describe('DPoP-bound tokens', () => {
  it('openid-client gets a DPoP-bound JWT access token carrying cnf.jkt', async () => {
    const config = await rp(op.issuer, SERVICE.client_id, client.ClientSecretBasic(SERVICE.client_secret));
    const keyPair = await client.randomDPoPKeyPair('ES256');
    const tokens = await client.clientCredentialsGrant(config, { resource: API.identifier, scope: 'orders:read' }, { DPoP: client.getDPoPHandle(config, keyPair) });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
  });

  it('a proof without a nonce is answered use_dpop_nonce with a DPoP-Nonce header', async () => {
    const key = await proofKey();
    const { status, body, headers } = await serviceToken({ dpop: await key.proof({ htu: tokenUrl() }) });
    expect(status).toBe(400);
    expect(body.error).toBe('use_dpop_nonce');
    expect(headers.get('dpop-nonce')).toBeTruthy();
  });

  it('a replayed proof is refused', async () => {
    const key = await proofKey();
    const proof = await key.proof({ htu: tokenUrl(), nonce: await nonce(key) });
    const first = await serviceToken({ dpop: proof });
    expect(first.status).toBe(200);
    expect(first.body.token_type).toBe('DPoP');
    const replay = await serviceToken({ dpop: proof });
    // At the token endpoint oidc-provider answers a replay invalid_grant ("DPoP proof JWT Replay detected").
    expect(replay.body.error).toBe('invalid_grant');
    expect(replay.status).toBe(400);
    // The control: the same request with a fresh proof of the same key succeeds.
    expect((await serviceToken({ dpop: await key.proof({ htu: tokenUrl(), nonce: await nonce(key) }) })).status).toBe(200);
  });

  it('a proof for another method or another URL is refused', async () => {
    const key = await proofKey();
    const fresh = await nonce(key);
    const wrongMethod = await serviceToken({ dpop: await key.proof({ htm: 'GET', htu: tokenUrl(), nonce: fresh }) });
    expect(wrongMethod.body).toMatchObject({ error: 'invalid_dpop_proof', error_description: 'DPoP proof htm mismatch' });
    const wrongUrl = await serviceToken({ dpop: await key.proof({ htu: `${op.issuer}/me`, nonce: fresh }) });
    expect(wrongUrl.body).toMatchObject({ error: 'invalid_dpop_proof', error_description: 'DPoP proof htu mismatch' });
  });

  it('a client registered with dpop_bound_access_tokens gets no token without a proof', async () => {
    const { status, body } = await serviceToken({});
    // oidc-provider refuses it as invalid_grant ("DPoP proof JWT not provided"; descriptions of grant errors are not shown).
    expect(body.error).toBe('invalid_grant');
    expect(status).toBe(400);
  });

  itWith('postgres', 'redis')('a proof used at one process is a replay at another sharing Redis', async () => {
    // Another process of the same deployment: same issuer, secrets, database and Redis key prefix.
    const { PORT: _port, SEED_FILE: _seed, ...deployment } = op.env;
    const other = await startTestProvider({ seed: false, ...(database ? { database } : {}), env: { ...deployment, PORT: String(await freePort()) } });
    try {
      const key = await proofKey();
      const proof = await key.proof({ htu: tokenUrl(), nonce: await nonce(key) });
      expect((await serviceToken({ dpop: proof })).status).toBe(200);
      const host = new URL(op.issuer).host;
      const otherToken = `${other.running.url}/token`;
      const replay = await serviceToken({ dpop: proof, 'x-forwarded-host': host }, otherToken);
      expect(replay.body.error).toBe('invalid_grant');
      // The same process would accept a fresh proof with the nonce the first one issued: nonces are shared too.
      const fresh = await key.proof({ htu: tokenUrl(), nonce: await nonce(key) });
      expect((await serviceToken({ dpop: fresh, 'x-forwarded-host': host }, otherToken)).status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('a public client: bound access and refresh tokens; Bearer use and another key are refused', async () => {
    const config = await client.discovery(new URL(op.issuer), SPA.client_id, {}, client.None(), { execute: [client.allowInsecureRequests] });
    const keyPair = await client.randomDPoPKeyPair('ES256');
    const DPoP = client.getDPoPHandle(config, keyPair);
    const request = await authorizationRequest(config, { redirect_uri: SPA.redirect_uri, scope: 'openid email offline_access', prompt: 'consent' });
    const { callback } = await authorize(new UserAgent(op.issuer), request.url, alice);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce }, undefined, { DPoP });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const sub = tokens.claims()!.sub;
    expect((await client.fetchUserInfo(config, tokens.access_token, sub, { DPoP })).email).toBe('alice@example.com');
    const jkt = await calculateJwkThumbprint(await exportJWK(keyPair.publicKey));
    expect(await introspect(op, tokens.access_token)).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt } });
    const asBearer = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/invalid_token/);
    // The refresh token is bound to the key too: another key cannot use it, the right one can.
    const otherKey = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    const stolen = await client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: otherKey }).catch((e: { error?: string }) => e);
    expect((stolen as { error?: string }).error).toBe('invalid_grant');
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect(refreshed.token_type.toLowerCase()).toBe('dpop');
  });

  it('discovery advertises DPoP algorithms', async () => {
    const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.dpop_signing_alg_values_supported).toEqual(['ES256', 'EdDSA', 'PS256']);
  });
});
