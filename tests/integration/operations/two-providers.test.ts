/**
 * Two provider processes' worth of servers behind one issuer, on one Postgres database and one
 * Redis (one key prefix), as a deployment runs them behind a load balancer: a browser session
 * made at A works at B, B refreshes A's tokens, a revocation at A holds at B, an admin change at
 * A (secret rotation, client deletion) holds at B within a second, and a lockout counted at A is
 * enforced at B.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, SECRET, adminSeed } from '../admin/context.js';
import { adminTokenFor } from '../../helpers/admin-api.js';
import { SERVICE_CLIENT, WEB_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest } from '../../helpers/rp.js';
import { createTestDatabase, postgresUrl, redisUrl, type TestDatabase } from '../../helpers/stores.js';
import { basic, postForm, signIn, webClient, type RpConfig } from '../protocol/support.js';

let db: TestDatabase;
let a: TestProvider;
let b: TestProvider;
let web: RpConfig;
/** B's own address; its issuer is A's, as behind a load balancer. */
let bUrl: string;

beforeAll(async () => {
  if (!postgresUrl || !redisUrl) return;
  db = await createTestDatabase('postgres');
  const shared = {
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    ADMIN_API_AUDIENCE: AUDIENCE,
    KEY_ROTATION_OVERLAP: '7200',
  };
  a = await startTestProvider({ database: db, seed: adminSeed(), env: shared });
  b = await startTestProvider({ database: db, seed: adminSeed(), env: { ...shared, ISSUER: a.issuer } });
  bUrl = b.running.url;
  web = await webClient(a);
}, 60_000);

afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await db?.drop();
});

const atB = (url: string | URL) => {
  const moved = new URL(url);
  const target = new URL(bUrl);
  moved.host = target.host;
  return moved;
};

const serviceToken = (base: string, id: string, secret: string) => postForm(`${base}/token`, { grant_type: 'client_credentials' }, { authorization: basic(id, secret) });

/** Times one request, so a deadline can allow for the request itself on a loaded machine. */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

/** Polls until `done` holds; @returns the milliseconds it took. @throws after `ms`. */
async function within(ms: number, done: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await done()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function adminCall(method: string, path: string, token: string, headers: Record<string, string> = {}) {
  return fetch(`${a.issuer}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...headers } });
}

describe.skipIf(!postgresUrl || !redisUrl)('two providers on one Postgres and Redis', () => {
  it('uses a session made at A at B, refreshes at B, and sees a revocation at A at B', async () => {
    const first = await signIn(a, web, { scope: 'openid offline_access', prompt: 'consent' });
    // The same browser at B: the session cookie from A signs it in without a login page.
    const { url, verifier, state } = await authorizationRequest(web, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', prompt: 'none' });
    const response = await fetch(atB(url), { redirect: 'manual', headers: { cookie: first.agent.jar.header(atB(url)) } });
    expect(response.status).toBe(303);
    const callback = new URL(response.headers.get('location')!);
    expect(callback.searchParams.get('error')).toBeNull();
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();
    const exchanged = await postForm(`${bUrl}/token`, { grant_type: 'authorization_code', code: code!, code_verifier: verifier, redirect_uri: WEB_CLIENT.redirect_uri }, { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });
    expect(exchanged.status).toBe(200);
    expect(callback.searchParams.get('state')).toBe(state);

    // B rotates A's refresh token; the token A issued is then used up everywhere.
    const refreshed = await postForm(`${bUrl}/token`, { grant_type: 'refresh_token', refresh_token: first.tokens.refresh_token! }, { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });
    expect(refreshed.status).toBe(200);
    const accessToken = String(refreshed.body.access_token);

    // Revoked at A, inactive at B.
    const introspectAtB = () => postForm(`${bUrl}/token/introspection`, { token: accessToken }, { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });
    expect((await introspectAtB()).body.active).toBe(true);
    const revoked = await postForm(`${a.issuer}/token/revocation`, { token: accessToken }, { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });
    expect(revoked.status).toBe(200);
    expect((await introspectAtB()).body.active).toBe(false);
  });

  it('refuses a rotated secret at B within a second of the rotation at A', async () => {
    const admin = await adminTokenFor(a.issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
    // B has the client cached with its current secret.
    const warm = await timed(() => serviceToken(bUrl, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret));
    expect(warm.value.status).toBe(200);
    const read = await adminCall('GET', `/clients/${SERVICE_CLIENT.client_id}`, admin);
    const rotated = await adminCall('POST', `/clients/${SERVICE_CLIENT.client_id}/secret`, admin, { 'if-match': read.headers.get('etag')! });
    expect(rotated.status).toBe(200);
    const { client_secret: fresh } = (await rotated.json()) as { client_secret: string };
    // One second of staleness at most, plus the time a request takes on this machine (the cache TTL is 5 s).
    await within(1000 + 2 * warm.ms, async () => (await serviceToken(bUrl, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret)).status === 401);
    expect((await serviceToken(bUrl, SERVICE_CLIENT.client_id, fresh)).status).toBe(200);
  });

  it('refuses a deleted client at B within a second of the deletion at A', async () => {
    const admin = await adminTokenFor(a.issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
    const warm = await timed(() => serviceToken(bUrl, 'orders-service', SECRET));
    expect(warm.value.status).toBe(200);
    const read = await adminCall('GET', '/clients/orders-service', admin);
    expect((await adminCall('DELETE', '/clients/orders-service', admin, { 'if-match': read.headers.get('etag')! })).status).toBe(204);
    await within(1000 + 2 * warm.ms, async () => (await serviceToken(bUrl, 'orders-service', SECRET)).status === 401);
  });

  it('enforces at B a lockout counted at A', async () => {
    const ip = '203.0.113.77';
    const login = `nobody-${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 12; i += 1) await a.running.container.lockout.passwordFailed(login, ip);
    const atA = await a.running.container.lockout.passwordWait(login, ip);
    expect(atA).toBeGreaterThan(0);
    expect(await b.running.container.lockout.passwordWait(login, ip)).toBeGreaterThan(0);
  });
});
