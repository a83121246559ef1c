/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592), with openid-client v6 as the
 * registrant over real HTTP: off by default; with an initial access token a client registers,
 * lands in the clients table (source dynamic, secret sealed), signs a user in with code + PKCE,
 * and reads, updates and deletes itself with its registration access token. Refused: no or a
 * wrong initial access token, privileged metadata, grant types beyond the code flow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { readJson } from './support.js';

const TOKENS = ['first-initial-access-token-0123456789abcdef', 'second-initial-access-token-0123456789abcdef'];
const REDIRECT = 'http://127.0.0.1:9999/registered-cb';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider({ env: { CLIENT_REGISTRATION_ENABLED: 'true', CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS: TOKENS.join(',') } });
});
afterAll(async () => {
  await op?.stop();
});

const register = (metadata: Partial<client.ClientMetadata>, initialAccessToken?: string, auth?: client.ClientAuth) =>
  client.dynamicClientRegistration(new URL(op.issuer), metadata, auth, {
    execute: [client.allowInsecureRequests],
    ...(initialAccessToken ? { initialAccessToken } : {}),
  });

const knex = () => op.running.container.database.knex;
const clientCount = async () => Number((await knex()('clients').count('* as n').first())!.n);

async function manage(uri: string, token: string | undefined, method = 'GET', body?: unknown) {
  const response = await fetch(uri, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}), accept: 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return readJson(response);
}

describe('off by default', () => {
  it('a provider without CLIENT_REGISTRATION_ENABLED has no registration endpoint', async () => {
    const plain = await startTestProvider({ seed: false });
    try {
      const metadata = (await (await fetch(`${plain.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(metadata).not.toHaveProperty('registration_endpoint');
      const response = await fetch(`${plain.issuer}/reg`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[0]}` }, body: JSON.stringify({ redirect_uris: [REDIRECT] }) });
      expect(response.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

describe('registration, use and management', () => {
  let registered: client.Configuration;
  let metadata: client.ClientMetadata;

  it('registers with an initial access token; the secret is sealed in the clients table', async () => {
    const response = await register({ redirect_uris: [REDIRECT], client_name: 'Registered app', scope: 'openid email' }, TOKENS[1]);
    metadata = response.clientMetadata();
    // One client, one method: it authenticates as registered (client_secret_basic), not with openid-client's default (post).
    registered = new client.Configuration(response.serverMetadata(), metadata.client_id, metadata, client.ClientSecretBasic(metadata.client_secret as string));
    client.allowInsecureRequests(registered);
    expect(metadata.client_id).toMatch(/^[\w-]{21,}$/);
    expect(metadata.client_secret).toEqual(expect.any(String));
    expect(metadata.registration_access_token).toEqual(expect.any(String));
    expect(metadata.registration_client_uri).toBe(`${op.issuer}/reg/${metadata.client_id}`);
    expect(metadata).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', grant_types: ['authorization_code'], response_types: ['code'] });
    const row = await knex()('clients').where({ client_id: metadata.client_id }).first();
    expect(row.source).toBe('dynamic');
    expect(row.secret_ciphertext).toBeTruthy();
    expect(row.secret_ciphertext).not.toContain(metadata.client_secret);
    expect(JSON.stringify(row.metadata)).not.toContain(metadata.client_secret as string);
  });

  it('signs a user in with the authorization code flow and PKCE', async () => {
    const request = await authorizationRequest(registered, { redirect_uri: REDIRECT, scope: 'openid email' });
    const { callback } = await authorize(new UserAgent(op.issuer), request.url, { login: TEST_USER.username, password: TEST_USER.password });
    const tokens = await client.authorizationCodeGrant(registered, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.claims()!.aud).toBe(metadata.client_id);
    expect((await client.fetchUserInfo(registered, tokens.access_token, tokens.claims()!.sub)).email).toBe(TEST_USER.email);
  });

  it('obeys the security defaults: no authorization request without PKCE, no other redirect URI', async () => {
    const noPkce = client.buildAuthorizationUrl(registered, { redirect_uri: REDIRECT, scope: 'openid', state: 'st' });
    const refused = await fetch(noPkce, { redirect: 'manual' });
    const location = new URL(refused.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    const elsewhere = client.buildAuthorizationUrl(registered, { redirect_uri: `${REDIRECT}/other`, scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const wrongRedirect = await fetch(elsewhere, { redirect: 'manual' });
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.headers.get('location')).toBeNull();
  });

  it('reads its registration with the registration access token, and nothing without it', async () => {
    const read = await manage(metadata.registration_client_uri as string, metadata.registration_access_token as string);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ client_id: metadata.client_id, client_name: 'Registered app', redirect_uris: [REDIRECT] });
    expect((await manage(metadata.registration_client_uri as string, undefined)).status).toBe(401);
    expect((await manage(metadata.registration_client_uri as string, 'not-the-token')).body).toMatchObject({ error: 'invalid_token' });
  });

  it('updates its registration; the registration access token rotates; privileged metadata is refused', async () => {
    const uri = metadata.registration_client_uri as string;
    const current = metadata.registration_access_token as string;
    const privileged = await manage(uri, current, 'PUT', { client_id: metadata.client_id, redirect_uris: [REDIRECT], resource_scopes: { 'https://api.example.com': ['orders:read'] } });
    expect(privileged.status).toBe(400);
    expect(privileged.body).toMatchObject({ error: 'invalid_client_metadata', error_description: 'resource_scopes cannot be registered dynamically; ask an administrator' });

    const updated = await manage(uri, current, 'PUT', { client_id: metadata.client_id, client_name: 'Renamed app', redirect_uris: [REDIRECT, `${REDIRECT}/2`], scope: 'openid email' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ client_name: 'Renamed app', redirect_uris: [REDIRECT, `${REDIRECT}/2`] });
    const rotated = updated.body.registration_access_token as string;
    expect(rotated).not.toBe(current);
    expect((await manage(uri, current)).status).toBe(401);
    expect((await manage(uri, rotated)).body).toMatchObject({ client_name: 'Renamed app' });
    const row = await knex()('clients').where({ client_id: metadata.client_id }).first();
    expect(row).toMatchObject({ source: 'dynamic', metadata: expect.objectContaining({ client_name: 'Renamed app' }) });
    // The secret survived the update.
    const grant = await client.clientCredentialsGrant(registered).catch((e: { error?: string }) => e);
    expect((grant as { error?: string }).error).not.toBe('invalid_client');
    metadata = { ...metadata, registration_access_token: rotated };
  });

  it('deletes its registration; the client and its token are gone', async () => {
    const uri = metadata.registration_client_uri as string;
    const deleted = await manage(uri, metadata.registration_access_token as string, 'DELETE');
    expect(deleted.status).toBe(204);
    expect(await knex()('clients').where({ client_id: metadata.client_id }).first()).toBeUndefined();
    expect((await manage(uri, metadata.registration_access_token as string)).status).toBe(401);
    // Reads go through a short cache in other processes; this one invalidated on delete.
    const token = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${metadata.client_id}:${metadata.client_secret}`).toString('base64')}` },
      body: 'grant_type=authorization_code&code=x&redirect_uri=' + encodeURIComponent(REDIRECT),
    });
    expect(((await token.json()) as { error: string }).error).toBe('invalid_client');
  });

  it("one client's registration access token does not manage another client (and is revoked for trying)", async () => {
    const a = (await register({ redirect_uris: [REDIRECT] }, TOKENS[0])).clientMetadata();
    const b = (await register({ redirect_uris: [REDIRECT] }, TOKENS[0])).clientMetadata();
    const crossed = await manage(b.registration_client_uri as string, a.registration_access_token as string, 'DELETE');
    expect(crossed.status).toBe(401);
    expect(await knex()('clients').where({ client_id: b.client_id }).first()).toBeDefined();
    expect((await manage(a.registration_client_uri as string, a.registration_access_token as string)).status).toBe(401);
    expect((await manage(b.registration_client_uri as string, b.registration_access_token as string)).status).toBe(200);
  });

  it('logs each registration change with the client id, never a secret or token', async () => {
    const logged = op.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const event of ['registration_create.success', 'registration_update.success', 'registration_delete.success']) {
      expect(logged).toContainEqual(expect.objectContaining({ event, clientId: metadata.client_id }));
    }
    const all = op.logs.join('\n');
    for (const secret of [metadata.client_secret, metadata.registration_access_token, ...TOKENS]) expect(all).not.toContain(secret);
  });

  it('registers a public client (none) without a secret', async () => {
    const spa = await register({ redirect_uris: ['http://localhost:5173/cb'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] }, TOKENS[0], client.None());
    expect(spa.clientMetadata().client_secret).toBeUndefined();
    const row = await knex()('clients').where({ client_id: spa.clientMetadata().client_id }).first();
    expect(row.secret_ciphertext).toBeNull();
  });
});

describe('refusals', () => {
  async function refused(promise: Promise<unknown>) {
    const error = await promise.then(() => undefined, (e: unknown) => e as { status?: number; error?: string; cause?: unknown; code?: string });
    expect(error, 'registration should have been refused').toBeDefined();
    return error!;
  }

  it('without an initial access token, or with a wrong one: 401 invalid_token, nothing stored', async () => {
    const before = await clientCount();
    for (const token of [undefined, 'wrong-initial-access-token-0123456789abcdef', `${TOKENS[0]}x`, TOKENS[0]!.slice(0, -1)]) {
      const error = await refused(register({ redirect_uris: [REDIRECT] }, token));
      expect(error.status).toBe(401);
      const raw = await fetch(`${op.issuer}/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ redirect_uris: [REDIRECT] }),
      });
      expect(raw.status).toBe(401);
      expect(((await raw.json()) as { error: string }).error).toBe('invalid_token');
      if (token) expect(raw.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    const raw = await fetch(`${op.issuer}/reg`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' }, body: '{"redirect_uris":["http://127.0.0.1:9999/x"]}' });
    expect(raw.status).toBe(400);
    expect(await clientCount()).toBe(before);
  });

  it.each([
    [{ resource_scopes: { 'https://api.example.com': ['orders:read'] } }, 'resource_scopes cannot be registered dynamically'],
    [{ first_party: true }, 'first_party cannot be registered dynamically'],
    [{ web_origins: ['https://evil.example.com'] }, 'web_origins cannot be registered dynamically'],
    [{ jwks_uri: 'http://169.254.169.254/latest/meta-data' }, 'jwks_uri cannot be registered dynamically'],
    // A URI the provider would POST logout tokens to is granted by an administrator, whose save checks the address policy.
    [{ backchannel_logout_uri: 'http://127.0.0.1:8080/logout' }, 'backchannel_logout_uri cannot be registered dynamically'],
    [{ backchannel_logout_uri: 'https://rp.example.com/logout', backchannel_logout_session_required: true }, 'backchannel_logout_uri cannot be registered dynamically'],
    [{ grant_types: ['authorization_code', 'client_credentials'] }, 'grant_types client_credentials cannot be registered dynamically'],
  ])('privileged metadata %j: 400 invalid_client_metadata, nothing stored', async (extra, description) => {
    const before = await clientCount();
    const response = await fetch(`${op.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[0]}` },
      body: JSON.stringify({ redirect_uris: [REDIRECT], ...extra }),
    });
    const { status, body } = await readJson(response);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: 'invalid_client_metadata' });
    expect(body.error_description).toContain(description);
    expect(await clientCount()).toBe(before);
  });

  it('implicit and hybrid response types are refused', async () => {
    const response = await fetch(`${op.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKENS[0]}` },
      body: JSON.stringify({ redirect_uris: [REDIRECT], response_types: ['id_token token'], grant_types: ['implicit'] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client_metadata');
  });
});
