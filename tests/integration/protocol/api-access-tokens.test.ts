/**
 * Access tokens for APIs (RFC 8707 resource indicators, RFC 9068 JWT access tokens): a client
 * names the API with `resource`, gets a JWT whose audience is the API and whose scope is what was
 * granted among the API's scopes. Without a resource, tokens stay opaque (for userinfo and
 * introspection). Unknown APIs are refused with invalid_target.
 */
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, SERVICE_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { basic, endpoints, expectOAuthError, introspect, postForm, signIn, verifyJwt, webClient } from './support.js';

let op: TestProvider;
let service: Awaited<ReturnType<typeof discover>>;
beforeAll(async () => {
  op = await startTestProvider();
  service = await discover(op.issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
});
afterAll(async () => {
  await op?.stop();
});

const serviceAuth = () => ({ authorization: basic(SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret) });
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

describe('client credentials grant', () => {
  it('without a resource issues an opaque token that introspection knows', async () => {
    const tokens = await client.clientCredentialsGrant(service);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.access_token).not.toMatch(JWT_SHAPE);
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.expires_in).toBe(600);
    const info = await introspect(op, tokens.access_token, { id: SERVICE_CLIENT.client_id, secret: SERVICE_CLIENT.client_secret });
    expect(info).toMatchObject({ active: true, client_id: SERVICE_CLIENT.client_id, iss: op.issuer, token_type: 'Bearer' });
    expect(info).not.toHaveProperty('sub');
  });

  it('with resource=API issues an RFC 9068 JWT for the API, verifiable with the JWKS', async () => {
    const tokens = await client.clientCredentialsGrant(service, { resource: API.identifier, scope: 'orders:read' });
    expect(tokens.scope).toBe('orders:read');
    expect(tokens.access_token).toMatch(JWT_SHAPE);
    const { payload, protectedHeader } = await verifyJwt(op, tokens.access_token, { typ: 'at+jwt', audience: API.identifier });
    expect(protectedHeader).toMatchObject({ typ: 'at+jwt', alg: 'RS256', kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: op.issuer,
      aud: API.identifier,
      scope: 'orders:read',
      client_id: SERVICE_CLIENT.client_id,
      // RFC 9068 §2.2: without a user, sub is the client.
      sub: SERVICE_CLIENT.client_id,
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(600);
    // A structured token is the API's to verify; the introspection endpoint refuses it.
    const { status, body } = await postForm(endpoints(op).introspection, { token: tokens.access_token }, serviceAuth());
    expect(status).toBe(400);
    expect(body.error).toBe('unsupported_token_type');
  });

  it('refuses an unknown resource with invalid_target', async () => {
    await expectOAuthError(client.clientCredentialsGrant(service, { resource: 'https://unknown.example.com', scope: 'orders:read' }), 'invalid_target', 400);
    await expectOAuthError(client.clientCredentialsGrant(service, { resource: 'not-a-uri' }), 'invalid_target', 400);
  });

  it('refuses two resources in one client credentials request', async () => {
    const params = new URLSearchParams({ grant_type: 'client_credentials' });
    params.append('resource', API.identifier);
    params.append('resource', 'https://other.example.com');
    const response = await fetch(endpoints(op).token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...serviceAuth() }, body: params });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_target');
  });

  it('refuses scopes the API does not define with invalid_scope (client-credentials-scope.test.ts has the rest)', async () => {
    await expectOAuthError(client.clientCredentialsGrant(service, { resource: API.identifier, scope: 'orders:read orders:delete' }), 'invalid_scope', 400);
  });

  it('is refused to a client not registered for the grant type', async () => {
    const web = await webClient(op);
    // RFC 6749 §5.2 names this unauthorized_client; oidc-provider (lib/actions/token.js) answers
    // invalid_request "requested grant type is not allowed for this client". Pinned so a change shows.
    const failure = await expectOAuthError(client.clientCredentialsGrant(web, { resource: API.identifier }), 'invalid_request', 400);
    expect((failure as { error_description?: string }).error_description).toMatch(/grant type is not allowed/);
  });
});

describe('authorization code grant with a resource indicator', () => {
  it('asks consent for the API and issues a JWT access token for it', async () => {
    const config = await webClient(op);
    const { tokens, pages } = await signIn(op, config, { scope: 'openid email orders:read', resource: API.identifier });
    const consentPage = pages.find((p) => p.includes('name="decision"'))!;
    expect(consentPage).toContain('Orders API');
    expect(consentPage).toContain('orders:read');
    expect(consentPage).not.toContain('orders:write');

    expect(tokens.access_token).toMatch(JWT_SHAPE);
    const { payload, protectedHeader } = await verifyJwt(op, tokens.access_token, { typ: 'at+jwt', audience: API.identifier });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ iss: op.issuer, aud: API.identifier, client_id: 'web-app', sub: tokens.claims()!.sub });
    expect(String(payload.scope).split(' ')).toContain('orders:read');
    expect(String(payload.scope).split(' ')).not.toContain('orders:write');
    // The ID token is still for the client, signed with its own algorithm.
    expect(tokens.claims()!.aud).toBe('web-app');
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256');
    // A token for the API is not a token for userinfo.
    await expect(client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).rejects.toMatchObject({ status: 401 });
  });

  it('refreshes into a new JWT for the granted API', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid offline_access orders:read orders:write', prompt: 'consent', resource: API.identifier });
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const { payload } = await verifyJwt(op, refreshed.access_token, { typ: 'at+jwt', audience: API.identifier });
    expect(String(payload.scope).split(' ')).toEqual(expect.arrayContaining(['orders:read', 'orders:write']));
    // Asking a refresh for a narrower scope on the same API.
    const narrowed = await client.refreshTokenGrant(config, refreshed.refresh_token!, { resource: API.identifier, scope: 'orders:read' });
    expect((await verifyJwt(op, narrowed.access_token, { audience: API.identifier })).payload.scope).toBe('orders:read');
  });

  it('refuses an unknown resource at the authorization endpoint with invalid_target at the redirect URI', async () => {
    const config = await webClient(op);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:9999/cb',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
      state: 'xyz',
      resource: 'https://unknown.example.com',
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:9999/cb');
    expect(location.searchParams.get('error')).toBe('invalid_target');
    expect(location.searchParams.get('state')).toBe('xyz');
  });
});
