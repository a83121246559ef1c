/**
 * CORS for browser clients. The token, userinfo, revocation and introspection endpoints answer a
 * browser only from an origin the client owns (its redirect URI origins and web_origins, see
 * clientBasedCORS in server/oidc/provider.ts); discovery and JWKS are public.
 *
 * Preflights carry no client: ours refuses one from an origin that no client registered, and lets
 * the others reach oidc-provider, which answers them permissively (lib/shared/cors.js). The
 * client's own origins are enforced on the actual request, whose response a foreign origin can
 * then neither read (no Access-Control-Allow-Origin) nor use (an error).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { discover } from '../../helpers/rp.js';
import { endpoints, introspect, postForm, readJson, signIn, type RpConfig } from './support.js';

let op: TestProvider;
let spa: RpConfig;
beforeAll(async () => {
  op = await startTestProvider();
  spa = await discover(op.issuer, SPA_CLIENT.client_id);
});
afterAll(async () => {
  await op?.stop();
});

const SPA_ORIGINS = [SPA_CLIENT.origin, 'https://spa.example.com'];
const EVIL = 'https://evil.example';

async function spaTokens() {
  const { tokens } = await signIn(op, spa, { redirectUri: SPA_CLIENT.redirect_uri, scope: 'openid email offline_access', prompt: 'consent' });
  return { access: tokens.access_token, refresh: tokens.refresh_token! };
}

function preflight(url: string, origin: string, method = 'POST') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type, authorization' },
  });
}

function expectAllowed(response: { headers: Headers }, origin: string) {
  expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  // Never credentialed: browsers then send no cookies and expose nothing across origins.
  expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  expect(response.headers.get('vary') ?? '').toMatch(/origin/i);
}

function expectRefused(response: { status: number; headers: Headers; body: Record<string, unknown> }) {
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
  expect(response.status).toBe(400);
  expect(response.body.error).toBe('invalid_request');
  expect(String(response.body.error_description)).toMatch(/origin .* not allowed/);
}

async function getJson(url: string, headers: Record<string, string>) {
  return readJson(await fetch(url, { headers }));
}

describe('preflight (OPTIONS)', () => {
  it.each(['token', 'userinfo', 'revocation', 'introspection'] as const)('%s: echoes the SPA origins and allows the requested headers', async (name) => {
    for (const origin of SPA_ORIGINS) {
      const response = await preflight(endpoints(op)[name], origin, name === 'userinfo' ? 'GET' : 'POST');
      expect(response.status).toBe(204);
      expectAllowed(response, origin);
      expect(response.headers.get('access-control-allow-methods')).toContain(name === 'userinfo' ? 'GET' : 'POST');
      expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    }
  });

  it.each(['token', 'userinfo', 'revocation', 'introspection'] as const)(
    '%s: refuses a preflight from an origin no client registered, with no CORS headers',
    async (name) => {
      const response = await preflight(endpoints(op)[name], EVIL, name === 'userinfo' ? 'GET' : 'POST');
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-methods')).toBeNull();
    },
  );

  it('lets a preflight through for an origin registered by some client (the actual request checks which)', async () => {
    const response = await preflight(endpoints(op).token, 'http://127.0.0.1:9999');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9999');
  });
});

describe('actual requests', () => {
  it('token endpoint: the SPA origins may refresh; a foreign origin gets an error without ACAO and the refresh token survives', async () => {
    let { refresh } = await spaTokens();
    for (const origin of SPA_ORIGINS) {
      const response = await postForm(endpoints(op).token, { grant_type: 'refresh_token', refresh_token: refresh, client_id: SPA_CLIENT.client_id }, { origin });
      expect(response.status).toBe(200);
      expectAllowed(response, origin);
      refresh = String(response.body.refresh_token);
    }
    const evil = await postForm(endpoints(op).token, { grant_type: 'refresh_token', refresh_token: refresh, client_id: SPA_CLIENT.client_id }, { origin: EVIL });
    expectRefused(evil);
    expect(evil.body).not.toHaveProperty('access_token');
    expect(await introspect(op, refresh)).toMatchObject({ active: true });
  });

  it('userinfo: the SPA origins may read; a foreign origin gets an error without ACAO', async () => {
    const { access } = await spaTokens();
    for (const origin of SPA_ORIGINS) {
      const response = await getJson(endpoints(op).userinfo, { origin, authorization: `Bearer ${access}` });
      expect(response.status).toBe(200);
      expectAllowed(response, origin);
      expect(response.body.email).toBe('alice@example.com');
    }
    const evil = await getJson(endpoints(op).userinfo, { origin: EVIL, authorization: `Bearer ${access}` });
    expectRefused(evil);
    expect(evil.body).not.toHaveProperty('email');
  });

  it('introspection: the SPA origins may introspect their tokens; a foreign origin gets an error without ACAO', async () => {
    const { access } = await spaTokens();
    for (const origin of SPA_ORIGINS) {
      const response = await postForm(endpoints(op).introspection, { token: access, client_id: SPA_CLIENT.client_id }, { origin });
      expect(response.status).toBe(200);
      expectAllowed(response, origin);
      expect(response.body.active).toBe(true);
    }
    const evil = await postForm(endpoints(op).introspection, { token: access, client_id: SPA_CLIENT.client_id }, { origin: EVIL });
    expectRefused(evil);
    expect(evil.body).not.toHaveProperty('active');
  });

  it('revocation: the SPA origins may revoke; a foreign origin gets an error without ACAO and revokes nothing', async () => {
    for (const origin of SPA_ORIGINS) {
      const { access } = await spaTokens();
      const response = await postForm(endpoints(op).revocation, { token: access, client_id: SPA_CLIENT.client_id }, { origin });
      expect(response.status).toBe(200);
      expectAllowed(response, origin);
      expect(await introspect(op, access)).toEqual({ active: false });
    }
    const { access } = await spaTokens();
    const evil = await postForm(endpoints(op).revocation, { token: access, client_id: SPA_CLIENT.client_id }, { origin: EVIL });
    expectRefused(evil);
    expect(await introspect(op, access)).toMatchObject({ active: true });
  });
});

describe('public metadata', () => {
  it.each([
    ['discovery', '/.well-known/openid-configuration'],
    ['JWKS', '/jwks'],
  ])('%s is readable from any origin', async (_name, path) => {
    for (const origin of [...SPA_ORIGINS, EVIL]) {
      const response = await fetch(`${op.issuer}${path}`, { headers: { origin } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      const pre = await preflight(`${op.issuer}${path}`, origin, 'GET');
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
    }
  });
});
