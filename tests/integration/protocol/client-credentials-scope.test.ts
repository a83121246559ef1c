/**
 * Client credentials answers per RFC 6749 §5.1/§5.2 (server/oidc/machine-scope.ts): an unknown
 * scope is invalid_scope, a narrowed scope is returned in `scope`, an API's scope without
 * `resource` is invalid_scope (the API must be named, RFC 8707), and OpenID Connect scopes on a
 * machine token are refused, never echoed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, SERVICE_CLIENT, defaultSeed, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { basic, endpoints, expectOAuthError, postForm, verifyJwt } from './support.js';

const LIMITED = { client_id: 'limited-service', client_secret: 'limited-service-secret-that-is-long-enough-1234567' };

let op: TestProvider;
let service: Awaited<ReturnType<typeof discover>>;
let limited: Awaited<ReturnType<typeof discover>>;
beforeAll(async () => {
  const seed = defaultSeed();
  (seed.clients as unknown[]).push({
    ...LIMITED,
    client_name: 'Read-only service',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    resource_scopes: { [API.identifier]: ['orders:read'] },
  });
  op = await startTestProvider({ seed });
  service = await discover(op.issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
  limited = await discover(op.issuer, LIMITED.client_id, LIMITED.client_secret);
});
afterAll(async () => {
  await op?.stop();
});

const asService = (fields: Record<string, string>) =>
  postForm(endpoints(op).token, { grant_type: 'client_credentials', ...fields }, { authorization: basic(SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret) });

describe('client credentials scope', () => {
  it('an exact request gets exactly that scope, in the response and the token', async () => {
    const tokens = await client.clientCredentialsGrant(service, { resource: API.identifier, scope: 'orders:read orders:write' });
    expect(tokens.scope?.split(' ').sort()).toEqual(['orders:read', 'orders:write']);
    expect(String((await verifyJwt(op, tokens.access_token, { audience: API.identifier })).payload.scope).split(' ').sort()).toEqual(['orders:read', 'orders:write']);
  });

  it('a scope the API does not define is invalid_scope, naming it', async () => {
    const failure = await asService({ resource: API.identifier, scope: 'orders:read orders:delete' });
    expect(failure).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(String(failure.body.error_description)).toMatch(/does not define the requested scope/);
    expect(failure.body.scope).toBe('orders:delete');
    expect(failure.body).not.toHaveProperty('access_token');
  });

  it('a scope the client may not have is left out and the issued scope is returned', async () => {
    const tokens = await client.clientCredentialsGrant(limited, { resource: API.identifier, scope: 'orders:read orders:write' });
    expect(tokens.scope).toBe('orders:read');
    expect((await verifyJwt(op, tokens.access_token, { audience: API.identifier })).payload.scope).toBe('orders:read');
  });

  it('only scopes the client may not have: invalid_scope', async () => {
    await expectOAuthError(client.clientCredentialsGrant(limited, { resource: API.identifier, scope: 'orders:write' }), 'invalid_scope', 400);
  });

  it("an API's scope without resource is invalid_scope, telling the client to name the API", async () => {
    const failure = await asService({ scope: 'orders:read' });
    expect(failure).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(String(failure.body.error_description)).toMatch(/resource parameter/);
    await expectOAuthError(client.clientCredentialsGrant(service, { scope: 'orders:read' }), 'invalid_scope', 400);
  });

  it('scope=openid on a machine token is refused, not echoed', async () => {
    for (const scope of ['openid', 'openid profile', 'offline_access']) {
      const failure = await asService({ scope });
      expect(failure, scope).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
      expect(String(failure.body.error_description)).toMatch(/OpenID Connect scopes/);
      // The error names what it refused; no token carries it.
      expect(failure.body.scope).toBe(scope);
      expect(failure.body).not.toHaveProperty('access_token');
    }
    // With an API named, openid is not one of its scopes either.
    expect((await asService({ resource: API.identifier, scope: 'openid orders:read' })).body.error).toBe('invalid_scope');
  });

  it('an unknown scope without resource is invalid_scope', async () => {
    expect((await asService({ scope: 'anything' })).body).toMatchObject({ error: 'invalid_scope' });
  });

  it('without scope: an opaque token without scope, or a token for the API', async () => {
    const opaque = await client.clientCredentialsGrant(service);
    expect(opaque.scope).toBeUndefined();
    const forApi = await asService({ resource: API.identifier });
    expect(forApi.status).toBe(200);
  });

  it('hostile scope values are a 400, never a 500', async () => {
    for (const scope of ['orders:read\u0000', 'orders:\ud800read', 'x'.repeat(5000), '  ']) {
      const result = await asService({ resource: API.identifier, scope });
      expect(result.status, JSON.stringify(scope.slice(0, 20))).toBeLessThan(500);
    }
  });
});
