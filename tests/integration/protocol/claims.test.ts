/**
 * Claims, over HTTP with openid-client as the RP and configured claim names (ROLES_CLAIM=groups,
 * PERMISSIONS_CLAIM=a URI): standard claims come from the user's profile (profile, email with
 * email_verified, phone with phone_number_verified, address); the `roles` and `permissions`
 * scopes release role names and what they permit; the OIDC `claims` request parameter is
 * honoured for the ID token and userinfo; an API verifying its JWT access token with jose sees
 * exactly the permissions of the user's roles for that API.
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';

const ORDERS = 'https://orders.example.com';
const REPORTS = 'https://reports.example.com';
const SECRET = 'claims-web-secret-that-is-long-enough-0123456789';
const PASSWORD = 'a long enough password for tests';
const REDIRECT = 'http://127.0.0.1:9999/cb';
const ROLES = 'groups';
const PERMISSIONS = 'https://example.com/permissions';

const seed = {
  apis: [
    { identifier: ORDERS, name: 'Orders', scopes: ['orders:read', 'orders:write', 'orders:refund'].map((value) => ({ value })) },
    { identifier: REPORTS, name: 'Reports', scopes: [{ value: 'reports:read' }] },
  ],
  roles: [
    { name: 'manager', permissions: [{ resource: ORDERS, scopes: ['orders:read', 'orders:write'] }] },
    { name: 'reporter', permissions: [{ resource: REPORTS, scopes: ['reports:read'] }] },
  ],
  clients: [
    {
      client_id: 'claims-web',
      client_secret: SECRET,
      redirect_uris: [REDIRECT],
      scope: 'openid profile email phone address roles permissions',
      resource_scopes: { [ORDERS]: ['orders:read', 'orders:write', 'orders:refund'] },
    },
  ],
  users: [
    {
      username: 'alice',
      password: PASSWORD,
      email: 'alice@example.com',
      email_verified: true,
      roles: ['manager', 'reporter'],
      profile: {
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        birthdate: '1852-05-04',
        locale: 'en-GB',
        phone_number: '+441865123456',
        phone_number_verified: true,
        address: { street_address: '1 Christ Church', locality: 'Oxford', postal_code: 'OX1 1DP', country: 'GB' },
      },
    },
    { username: 'dave', password: PASSWORD, email: 'dave@example.com', profile: { phone_number: '+15550100' } },
  ],
};

let op: TestProvider;
let config: Awaited<ReturnType<typeof discover>>;
beforeAll(async () => {
  op = await startTestProvider({ seed, env: { ROLES_CLAIM: ROLES, PERMISSIONS_CLAIM: PERMISSIONS } });
  config = await discover(op.issuer, 'claims-web', SECRET);
});
afterAll(async () => {
  await op?.stop();
});

async function signIn(username: string, params: Record<string, string>) {
  const request = await authorizationRequest(config, { redirect_uri: REDIRECT, prompt: 'consent', ...params });
  const { callback, pages } = await authorize(new UserAgent(op.issuer), request.url, { login: username, password: PASSWORD });
  const tokens = await client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
  });
  return { tokens, pages };
}

const userinfo = async (tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers) =>
  (await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)) as Record<string, unknown>;

describe('discovery', () => {
  it('advertises the claims parameter, the roles and permissions scopes and the configured claim names', async () => {
    const metadata = config.serverMetadata();
    expect(metadata.claims_parameter_supported).toBe(true);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['roles', 'permissions']));
    expect(metadata.claims_supported).toEqual(expect.arrayContaining([ROLES, PERMISSIONS, 'email_verified', 'phone_number_verified', 'address']));
    expect(metadata.claims_supported).not.toContain('roles');
  });
});

describe('userinfo by scope', () => {
  it('releases the profile, email, phone and address claims from the profile, and roles and permissions', async () => {
    const { tokens } = await signIn('alice', { scope: 'openid profile email phone address roles permissions' });
    const claims = await userinfo(tokens);
    expect(claims).toEqual({
      sub: tokens.claims()!.sub,
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      preferred_username: 'alice',
      birthdate: '1852-05-04',
      locale: 'en-GB',
      updated_at: expect.any(Number),
      email: 'alice@example.com',
      email_verified: true,
      phone_number: '+441865123456',
      phone_number_verified: true,
      address: { street_address: '1 Christ Church', locality: 'Oxford', postal_code: 'OX1 1DP', country: 'GB' },
      [ROLES]: ['manager', 'reporter'],
      [PERMISSIONS]: { [ORDERS]: ['orders:read', 'orders:write'], [REPORTS]: ['reports:read'] },
    });
  });

  it('releases only the scopes granted, and false verification flags for unverified values', async () => {
    const { tokens } = await signIn('dave', { scope: 'openid email phone' });
    expect(await userinfo(tokens)).toEqual({
      sub: tokens.claims()!.sub,
      email: 'dave@example.com',
      email_verified: false,
      phone_number: '+15550100',
      phone_number_verified: false,
    });
  });

  it('a user without roles gets empty role and permission claims', async () => {
    const { tokens } = await signIn('dave', { scope: 'openid roles permissions' });
    const claims = await userinfo(tokens);
    expect(claims[ROLES]).toEqual([]);
    expect(claims[PERMISSIONS]).toEqual({});
  });
});

describe('the claims request parameter (OIDC Core §5.5)', () => {
  it('puts requested claims into the ID token, which otherwise carries only authentication claims in the code flow', async () => {
    const plain = (await signIn('alice', { scope: 'openid email roles' })).tokens.claims()!;
    expect(plain).not.toHaveProperty('email');
    expect(plain).not.toHaveProperty(ROLES);

    const claims = JSON.stringify({ id_token: { email: { essential: true }, email_verified: null, [ROLES]: null, [PERMISSIONS]: null } });
    const idToken = (await signIn('alice', { scope: 'openid email roles permissions', claims })).tokens.claims()!;
    expect(idToken).toMatchObject({
      email: 'alice@example.com',
      email_verified: true,
      [ROLES]: ['manager', 'reporter'],
      [PERMISSIONS]: { [ORDERS]: ['orders:read', 'orders:write'], [REPORTS]: ['reports:read'] },
    });
  });

  it('releases individual claims at userinfo and in the ID token without their scope', async () => {
    const claims = JSON.stringify({ userinfo: { email: null, phone_number_verified: null }, id_token: { given_name: { essential: true } } });
    const { tokens, pages } = await signIn('alice', { scope: 'openid', claims });
    // Consent names what was asked for individually.
    expect(pages.find((p) => p.includes('name="decision"'))).toBeDefined();
    expect(tokens.claims()).toMatchObject({ given_name: 'Alice' });
    expect(tokens.claims()).not.toHaveProperty('family_name');
    expect(await userinfo(tokens)).toEqual({ sub: tokens.claims()!.sub, email: 'alice@example.com', phone_number_verified: true });
  });
});

describe('JWT access tokens for an API', () => {
  const jwks = () => createRemoteJWKSet(new URL(`${op.issuer}/jwks`));

  it('an API verifying with jose sees exactly the permissions the user’s roles grant for it, under the configured names', async () => {
    const { tokens } = await signIn('alice', { scope: 'openid orders:read', resource: ORDERS });
    const { payload } = await jwtVerify(tokens.access_token, jwks(), { issuer: op.issuer, audience: ORDERS, typ: 'at+jwt' });
    // `scope` is what this token was granted; the permissions claim is what the roles permit on this API (not on Reports).
    expect(payload.scope).toBe('orders:read');
    expect(payload[PERMISSIONS]).toEqual(['orders:read', 'orders:write']);
    expect(payload[ROLES]).toEqual(['manager', 'reporter']);
    expect(payload).not.toHaveProperty('roles');
    expect(payload).not.toHaveProperty('permissions');
  });

  it('a user without roles gets neither claim, and no API scope', async () => {
    const { tokens } = await signIn('dave', { scope: 'openid orders:read', resource: ORDERS });
    const { payload } = await jwtVerify(tokens.access_token, jwks(), { issuer: op.issuer, audience: ORDERS, typ: 'at+jwt' });
    expect(payload).not.toHaveProperty(ROLES);
    expect(payload).not.toHaveProperty(PERMISSIONS);
    expect(payload).not.toHaveProperty('scope');
  });
});
