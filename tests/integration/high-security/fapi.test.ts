/**
 * The FAPI 2.0 Security Profile per client (`fapi_profile`), end to end with openid-client: PAR,
 * PKCE S256, private_key_jwt with aud = issuer, DPoP-bound tokens, ES256 ID token, iss in the
 * response. A client whose metadata misses the profile is refused with the field named: in a seed
 * file (the provider does not start), at the admin API (problem+json) and at dynamic registration
 * (invalid_client_metadata). At run time a FAPI client is refused an authorization request that
 * was not pushed and an assertion whose audience is the token endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApiClient, adminTokenFor } from '../../helpers/admin-api.js';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { defaultSeed, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, pkcePair } from '../../helpers/rp.js';
import { adminSeed, AUDIENCE, SECRET } from '../admin/context.js';
import { alice, postForm } from '../protocol/support.js';
import { ASSERTION_TYPE, clientAssertion, clientKey, rp, type ClientKey } from './support.js';

const REDIRECT = 'https://bank-app.example.com/cb';
const REGISTRATION_TOKEN = 'fapi-initial-access-token-0123456789abcdef';
let op: TestProvider;
let key: ClientKey;

/** A client definition that meets FAPI 2.0; tests take fields away. */
const fapiClient = (clientId: string, jwk: object): Record<string, unknown> => ({
  client_id: clientId,
  fapi_profile: 'fapi2-security',
  token_endpoint_auth_method: 'private_key_jwt',
  token_endpoint_auth_signing_alg: 'ES256',
  jwks: { keys: [jwk] },
  require_pushed_authorization_requests: true,
  dpop_bound_access_tokens: true,
  id_token_signed_response_alg: 'ES256',
  grant_types: ['authorization_code'],
  redirect_uris: [REDIRECT],
  scope: 'openid email',
});

beforeAll(async () => {
  key = await clientKey('ES256');
  const seed = adminSeed() as { clients: unknown[] };
  seed.clients.push(fapiClient('bank-app', key.jwk));
  op = await startTestProvider({
    seed,
    env: { ADMIN_API_AUDIENCE: AUDIENCE, KEY_ROTATION_OVERLAP: '7200', CLIENT_REGISTRATION_ENABLED: 'true', CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS: REGISTRATION_TOKEN },
  });
});
afterAll(async () => {
  await op?.stop();
});

describe('a FAPI 2.0 client end to end', () => {
  it('signs in with PAR, PKCE, private_key_jwt and DPoP (openid-client)', async () => {
    const config = await rp(op.issuer, 'bank-app', client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }));
    const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    const { verifier, challenge } = await pkcePair();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = await client.buildAuthorizationUrlWithPAR(config, { redirect_uri: REDIRECT, scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', state, nonce }, { DPoP });
    const { callback } = await authorize(new UserAgent(op.issuer), url, alice);
    expect(callback.origin).toBe('https://bank-app.example.com');
    expect(callback.searchParams.get('iss')).toBe(op.issuer);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }, undefined, { DPoP });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');
    const header = JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()) as { alg: string };
    expect(header.alg).toBe('ES256');
    expect((await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub, { DPoP })).email).toBe('alice@example.com');
  });

  it('refuses an authorization request that was not pushed', async () => {
    const { challenge } = await pkcePair();
    const url = new URL(`${op.issuer}/auth`);
    for (const [name, value] of Object.entries({ client_id: 'bank-app', response_type: 'code', redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })) url.searchParams.set(name, value);
    const response = await fetch(url, { redirect: 'manual' });
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a client assertion whose audience is the token endpoint, not the issuer', async () => {
    const assertion = await clientAssertion(key, 'bank-app', `${op.issuer}/token`);
    const { challenge } = await pkcePair();
    const { status, body } = await postForm(`${op.issuer}/request`, { client_id: 'bank-app', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });
});

describe('metadata that misses the profile is refused, naming the field', () => {
  it('in a seed file: the provider does not start', async () => {
    const seed = defaultSeed() as { clients: unknown[] };
    const { require_pushed_authorization_requests: _par, ...withoutPar } = fapiClient('no-par', key.jwk);
    seed.clients.push(withoutPar);
    await expect(startTestProvider({ seed })).rejects.toThrow(/require_pushed_authorization_requests: must be true: authorization requests are pushed \(fapi2-security\)/);
  }, 120_000);

  it('at the admin API: problem+json with the fields', async () => {
    const api = await AdminApiClient.open(op.issuer);
    const token = await adminTokenFor(op.issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
    const body = { ...fapiClient('admin-fapi', key.jwk), require_pushed_authorization_requests: false, token_endpoint_auth_method: 'client_secret_basic', redirect_uris: ['http://bank-app.example.com/cb'] };
    const refused = await api.call('POST', '/clients', { token, body });
    expect(refused.status).toBe(400);
    const fields = (refused.body.errors as Array<{ field: string }>).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.require_pushed_authorization_requests', 'body.token_endpoint_auth_method', 'body.redirect_uris.0']));
    const created = await api.call('POST', '/clients', { token, body: fapiClient('admin-fapi', key.jwk) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ fapi_profile: 'fapi2-security', require_pushed_authorization_requests: true, has_secret: false });
  });

  it('at dynamic registration: invalid_client_metadata naming the field', async () => {
    const { client_id: _id, ...metadata } = fapiClient('unused', key.jwk);
    const register = (body: Record<string, unknown>) =>
      fetch(`${op.issuer}/reg`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${REGISTRATION_TOKEN}` }, body: JSON.stringify(body) });
    const refused = await register({ ...metadata, dpop_bound_access_tokens: false });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client_metadata', error_description: expect.stringMatching(/^dpop_bound_access_tokens sender-constrained tokens are required/) });
    const registered = await register(metadata);
    expect(registered.status).toBe(201);
    expect(await registered.json()).toMatchObject({ fapi_profile: 'fapi2-security', require_pushed_authorization_requests: true });
  });
});
