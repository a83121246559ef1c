/**
 * Discovery (OpenID Connect Discovery 1.0, RFC 8414) and the published JWKS: only the code flow
 * with PKCE S256 is advertised, the token management endpoints are listed, and the key set holds
 * one RS256 and one ES256 public key and nothing private.
 *
 * Signing key rotation: a rotation publishes new keys next to the old ones, new tokens are signed
 * with the new keys at once, tokens signed before keep verifying during the overlap, and the old
 * keys leave the JWKS when the overlap ends. The rotation test ends with two published keys again,
 * so the JWKS assertions hold whichever runs first.
 */
import { decodeProtectedHeader, errors as joseErrors } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, SERVICE_CLIENT, startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { authorizeOnly, endpoints, signIn, verifyJwt, webClient } from './support.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

// Members of a private JWK (RFC 7518 §6.2.2 and §6.3.2); none may appear in a published key.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

describe('discovery', () => {
  it('advertises the issuer, its endpoints and only the code flow with S256', async () => {
    const response = await fetch(`${op.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(op.issuer);
    expect(metadata).toMatchObject({
      authorization_endpoint: `${op.issuer}/auth`,
      token_endpoint: `${op.issuer}/token`,
      userinfo_endpoint: `${op.issuer}/me`,
      jwks_uri: `${op.issuer}/jwks`,
      introspection_endpoint: `${op.issuer}/token/introspection`,
      revocation_endpoint: `${op.issuer}/token/revocation`,
      end_session_endpoint: `${op.issuer}/session/end`,
    });
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(metadata.grant_types_supported).not.toContain('implicit');
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access', 'profile', 'email']));
    expect(metadata.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256']));
    expect(metadata.token_endpoint_auth_methods_supported).toContain('client_secret_basic');
    // introspection/revocation_endpoint_auth_methods_supported are omitted: they default
    // to the token endpoint's (RFC 8414 §2), which is also how they are configured.
  });

  it('answers the same document with an ETag on every request, and 304 to a matching If-None-Match', async () => {
    for (const path of ['/.well-known/openid-configuration', '/jwks']) {
      const first = await fetch(`${op.issuer}${path}`);
      const second = await fetch(`${op.issuer}${path}`);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect(second.headers.get('etag')).toBe(etag);
      expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
      expect(second.headers.get('access-control-allow-origin')).toBe('*');
      expect(await second.text()).toBe(await first.text());
      // fetch() adds Cache-Control: no-cache to a conditional request unless told otherwise (Fetch §4.5).
      const conditional = await fetch(`${op.issuer}${path}`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } });
      expect(conditional.status).toBe(304);
      expect(await conditional.text()).toBe('');
      expect((await fetch(`${op.issuer}${path}`, { headers: { 'if-none-match': '"another"', 'cache-control': 'max-age=0' } })).status).toBe(200);
      // A cross-origin request still gets its origin's CORS answer from the provider.
      const crossOrigin = await fetch(`${op.issuer}${path}`, { headers: { origin: 'https://spa.example' } });
      expect(crossOrigin.status).toBe(200);
      expect(crossOrigin.headers.get('access-control-allow-origin')).toBe('https://spa.example');
    }
  });

  it('is accepted by openid-client as the relying party', async () => {
    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(op.issuer);
    expect(metadata.supportsPKCE()).toBe(true);
  });
});

describe('JWKS', () => {
  it('publishes one RS256 and one ES256 signing key, public parts only', async () => {
    const response = await fetch(`${op.issuer}/jwks`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/(jwk-set\+)?json/);
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(2);
    const rsa = keys.find((k) => k.alg === 'RS256');
    const ec = keys.find((k) => k.alg === 'ES256');
    expect(rsa).toMatchObject({ kty: 'RSA', use: 'sig', e: expect.any(String), n: expect.any(String), kid: expect.any(String) });
    expect(ec).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'sig', x: expect.any(String), y: expect.any(String), kid: expect.any(String) });
    expect(rsa!.kid).not.toBe(ec!.kid);
    for (const key of keys) {
      for (const member of PRIVATE_MEMBERS) expect(key, `${String(key.kid)} has ${member}`).not.toHaveProperty(member);
    }
  });
});

async function publishedKids(): Promise<string[]> {
  const { keys } = (await (await fetch(endpoints(op).jwks)).json()) as { keys: Array<{ kid: string }> };
  return keys.map((k) => k.kid);
}

async function apiAccessToken(): Promise<string> {
  const service = await discover(op.issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
  const tokens = await client.clientCredentialsGrant(service, { resource: API.identifier, scope: 'orders:read' });
  return tokens.access_token;
}

describe('signing key rotation', () => {
  it('signs with new keys at once, keeps old tokens verifiable during the overlap, then drops the old keys', async () => {
    const config = await webClient(op);
    const before = await signIn(op, config, { scope: 'openid email' });
    const oldIdToken = before.tokens.id_token!;
    const oldAccessToken = await apiAccessToken();
    const oldKids = await publishedKids();
    expect(oldKids).toHaveLength(2);
    expect(oldKids).toContain(decodeProtectedHeader(oldIdToken).kid);
    expect(oldKids).toContain(decodeProtectedHeader(oldAccessToken).kid);

    const rotation = await op.running.container.rotateKeys();
    expect(await op.running.container.refreshKeys()).toBe(true);
    expect(rotation.retired.sort()).toEqual([...oldKids].sort());

    const rotatedKids = await publishedKids();
    expect(rotatedKids).toHaveLength(4);
    const { keys: rotatedKeys } = (await (await fetch(endpoints(op).jwks)).json()) as { keys: Array<Record<string, unknown>> };
    for (const key of rotatedKeys) expect(key).not.toHaveProperty('d');
    expect(rotatedKids).toEqual(expect.arrayContaining([...oldKids, ...rotation.created]));

    // The browser session survives the provider reload: prompt=none signs in silently.
    const after = await signIn(op, config, { scope: 'openid email', agent: before.agent, prompt: 'none' });
    const newIdToken = after.tokens.id_token!;
    const newAccessToken = await apiAccessToken();
    for (const jwt of [newIdToken, newAccessToken]) {
      const { kid, alg } = decodeProtectedHeader(jwt);
      expect(alg).toBe('RS256');
      expect(rotation.created).toContain(kid);
      expect(oldKids).not.toContain(kid);
    }
    await expect(verifyJwt(op, newIdToken)).resolves.toBeTruthy();
    await expect(verifyJwt(op, newAccessToken, { typ: 'at+jwt', audience: API.identifier })).resolves.toBeTruthy();
    // Signed before the rotation, still valid during the overlap.
    await expect(verifyJwt(op, oldIdToken)).resolves.toBeTruthy();
    await expect(verifyJwt(op, oldAccessToken, { typ: 'at+jwt', audience: API.identifier })).resolves.toBeTruthy();

    // The overlap ends.
    await op.running.container.database.knex('signing_keys').whereIn('kid', oldKids).update({ verify_until: new Date(Date.now() - 1000) });
    expect(await op.running.container.refreshKeys()).toBe(true);
    const finalKids = await publishedKids();
    expect(finalKids.sort()).toEqual([...rotation.created].sort());
    await expect(verifyJwt(op, oldIdToken)).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
    await expect(verifyJwt(op, newIdToken)).resolves.toBeTruthy();
    // And the retired keys are gone from storage, not merely unpublished.
    const stored = await op.running.container.database.knex('signing_keys').whereIn('kid', oldKids).count<{ count: string | number }[]>({ count: '*' });
    expect(Number(stored[0]!.count)).toBe(0);

    // Still serving: a fresh sign-in after the old keys are gone.
    const last = await authorizeOnly(op, config, { agent: before.agent, prompt: 'none' });
    expect(last.callback.searchParams.get('code')).toBeTruthy();
  });
});
