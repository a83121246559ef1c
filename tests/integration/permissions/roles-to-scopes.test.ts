/**
 * Roles and permissions mapped onto tokens: an API verifying a JWT access token with jose sees
 * exactly the scopes the user's roles grant (within what the client may ask for); a role removed
 * stops counting at the next issuance; client credentials get the client's allowance only; the
 * `roles` scope releases role names in userinfo, and JWT access tokens carry them.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';

const ORDERS = 'https://orders.example.com';
const SECRET = 'shop-web-secret-that-is-long-enough-0123456789';
const PASSWORD = 'a long enough password for tests';
const REDIRECT = 'http://127.0.0.1:9999/cb';

const seed = {
  apis: [{ identifier: ORDERS, name: 'Orders', scopes: ['orders:read', 'orders:write', 'orders:refund'].map((value) => ({ value })) }],
  roles: [
    { name: 'viewer', permissions: [{ resource: ORDERS, scopes: ['orders:read'] }] },
    { name: 'manager', permissions: [{ resource: ORDERS, scopes: ['orders:read', 'orders:write'] }] },
  ],
  clients: [
    {
      client_id: 'shop-web',
      client_secret: SECRET,
      redirect_uris: [REDIRECT],
      scope: 'openid offline_access roles',
      resource_scopes: { [ORDERS]: ['orders:read', 'orders:write', 'orders:refund'] },
    },
    { client_id: 'limited-service', client_secret: SECRET, grant_types: ['client_credentials'], resource_scopes: { [ORDERS]: ['orders:read'] } },
    { client_id: 'no-api-service', client_secret: SECRET, grant_types: ['client_credentials'] },
  ],
  users: [
    { username: 'bob', password: PASSWORD, roles: ['viewer'] },
    { username: 'carol', password: PASSWORD, roles: ['manager'] },
    { username: 'dave', password: PASSWORD },
  ],
};

let op: TestProvider;
let jwks: ReturnType<typeof createRemoteJWKSet>;
beforeAll(async () => {
  op = await startTestProvider({ seed });
  jwks = createRemoteJWKSet(new URL(`${op.issuer}/jwks`));
});
afterAll(async () => {
  await op?.stop();
});

/** What an API sees: the verified payload of a JWT access token meant for it. */
async function apiSees(token: string) {
  const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: op.issuer, audience: ORDERS, typ: 'at+jwt' });
  expect(protectedHeader.typ).toBe('at+jwt');
  return payload;
}

async function signIn(username: string) {
  const config = await discover(op.issuer, 'shop-web', SECRET);
  const request = await authorizationRequest(config, {
    redirect_uri: REDIRECT,
    scope: 'openid offline_access roles orders:read orders:write orders:refund',
    resource: ORDERS,
    prompt: 'consent',
  });
  const { callback } = await authorize(new UserAgent(op.issuer), request.url, { login: username, password: PASSWORD });
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  return { config, tokens };
}

describe('user tokens for an API', () => {
  it('carry exactly the scopes the user’s roles grant, and the role names', async () => {
    const bob = await apiSees((await signIn('bob')).tokens.access_token);
    expect(bob.scope).toBe('orders:read');
    expect(bob.roles).toEqual(['viewer']);

    const carol = await apiSees((await signIn('carol')).tokens.access_token);
    expect(String(carol.scope).split(' ').sort()).toEqual(['orders:read', 'orders:write']);
    expect(carol.roles).toEqual(['manager']);

    // No role, no permission: the token names the API but grants nothing in it.
    const dave = await apiSees((await signIn('dave')).tokens.access_token);
    expect(dave.scope).toBeUndefined();
    expect(dave).not.toHaveProperty('roles');
  });

  it('lose a removed role at the next issuance', async () => {
    const { config, tokens } = await signIn('carol');
    expect(String((await apiSees(tokens.access_token)).scope).split(' ')).toContain('orders:write');

    const { users } = op.running.container;
    const roles = op.running.container.seedDeps.roles;
    const carol = (await users.findByUsername('carol'))!;
    await roles.setUserRoles(carol.id, [(await roles.findByName('viewer'))!.id]);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, { resource: ORDERS });
    const after = await apiSees(refreshed.access_token);
    expect(after.scope).toBe('orders:read');
    expect(after.roles).toEqual(['viewer']);
  });

  it('release the role names in userinfo when the roles scope is granted', async () => {
    const config = await discover(op.issuer, 'shop-web', SECRET);
    const request = await authorizationRequest(config, { redirect_uri: REDIRECT, scope: 'openid roles' });
    const { callback } = await authorize(new UserAgent(op.issuer), request.url, { login: 'bob', password: PASSWORD });
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.roles).toEqual(['viewer']);
  });
});

describe('client credentials for an API', () => {
  it('get the client’s allowance and nothing more', async () => {
    const service = await discover(op.issuer, 'limited-service', SECRET);
    const tokens = await client.clientCredentialsGrant(service, { resource: ORDERS, scope: 'orders:read orders:write' });
    expect(tokens.scope).toBe('orders:read');
    expect((await apiSees(tokens.access_token)).scope).toBe('orders:read');
  });

  it('are refused for an API the client was not allowed', async () => {
    const service = await discover(op.issuer, 'no-api-service', SECRET);
    await expect(client.clientCredentialsGrant(service, { resource: ORDERS, scope: 'orders:read' })).rejects.toMatchObject({
      error: 'invalid_target',
    });
  });
});

describe('seed validation of roles and allowances', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    [
      'an API whose tokens would outlive the key rotation overlap',
      { ...seed, apis: [{ ...seed.apis[0], access_token_ttl: 86_400 }] },
      /apis\[0\] \("https:\/\/orders\.example\.com"\)\.access_token_ttl: must be shorter than KEY_ROTATION_OVERLAP/,
    ],
    [
      'a role permission with a scope the API does not define',
      { ...seed, roles: [{ name: 'bad', permissions: [{ resource: ORDERS, scopes: ['orders:delete'] }] }], users: [] },
      /roles\[0\] \("bad"\)\.permissions\[0\]: "orders:delete" not defined by API/,
    ],
    [
      'a user holding a role that does not exist',
      { ...seed, users: [{ username: 'erin', password: PASSWORD, roles: ['ghost'] }] },
      /users\[0\] \("erin"\)\.roles\[0\]: no role named "ghost"/,
    ],
    [
      'a client allowed an API that is not registered',
      { ...seed, clients: [{ client_id: 'x', client_secret: SECRET, grant_types: ['client_credentials'], resource_scopes: { 'https://nowhere.example': ['a'] } }], users: [] },
      /clients\[0\] \("x"\)\.resource_scopes: "https:\/\/nowhere\.example" is not a registered API/,
    ],
  ];
  it.each(cases)('stops the start on %s, naming entry and field', async (_name, bad, message) => {
    await expect(startTestProvider({ seed: bad, env: { KEY_ROTATION_OVERLAP: '7200' } })).rejects.toThrow(message);
  });
});
