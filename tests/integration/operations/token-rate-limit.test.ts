/**
 * The per-client token endpoint limit (TOKEN_RATE_LIMIT=3 here): a confidential client's budget
 * is its own whichever way it authenticates, a public client's is per client and IP, and a
 * request the limiter peeked at still reaches oidc-provider intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSeed, SERVICE_CLIENT, SPA_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';

const POST_CLIENT = { client_id: 'service-post', client_secret: 'service-post-secret-that-is-long-enough-123' };
const TARGET_CLIENT = { client_id: 'service-target', client_secret: 'service-target-secret-that-is-long-enough-12' };
const LIMIT = 3;
const WINDOW = 60;

let op: TestProvider;
beforeAll(async () => {
  const seed = defaultSeed() as { clients: unknown[] };
  seed.clients.push({
    client_id: POST_CLIENT.client_id,
    client_secret: POST_CLIENT.client_secret,
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['client_credentials'],
  });
  seed.clients.push({ ...TARGET_CLIENT, grant_types: ['client_credentials'] });
  // TRUST_PROXY so each test can speak for a different client IP through X-Forwarded-For.
  op = await startTestProvider({ seed, env: {
      TOKEN_RATE_LIMIT: String(LIMIT),
      TOKEN_AUTH_FAILURE_LIMIT: String(LIMIT),
      TOKEN_RATE_LIMIT_WINDOW: String(WINDOW),
      TRUST_PROXY: 'true',
    }, });
});
afterAll(async () => {
  await op?.stop();
});

const form = 'application/x-www-form-urlencoded';

function token(body: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${op.issuer}/token`, { method: 'POST', headers: { 'content-type': form, ...headers }, body: new URLSearchParams(body) });
}

const basicService = (ip: string) =>
  token({ grant_type: 'client_credentials' }, {
    authorization: `Basic ${Buffer.from(`${SERVICE_CLIENT.client_id}:${SERVICE_CLIENT.client_secret}`).toString('base64')}`,
    'x-forwarded-for': ip,
  });
const postService = (ip: string) => token({ grant_type: 'client_credentials', ...POST_CLIENT }, { 'x-forwarded-for': ip });
const publicRefresh = (ip: string) =>
  token({ grant_type: 'refresh_token', client_id: SPA_CLIENT.client_id, refresh_token: 'not-a-real-refresh-token' }, { 'x-forwarded-for': ip });

async function expectLimited(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect((await response.json()) as Record<string, unknown>).toMatchObject({ error: 'temporarily_unavailable' });
}

describe('token endpoint rate limit', () => {
  it('stops a confidential client at its budget, from any IP, while another client carries on', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      const response = await basicService(`198.51.100.${i + 1}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as Record<string, unknown>).access_token).toBeTruthy();
    }
    await expectLimited(await basicService('198.51.100.99'));

    // A different client, authenticating in the body the limiter had to read: unaffected, and
    // oidc-provider still receives the whole form.
    for (let i = 0; i < LIMIT; i += 1) {
      const response = await postService('198.51.100.1');
      expect(response.status).toBe(200);
      expect((await response.json()) as Record<string, unknown>).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
    }
    await expectLimited(await postService('198.51.100.1'));
  });

  it('counts a public client per IP, so one caller cannot use up everyone’s budget', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      const response = await publicRefresh('203.0.113.10');
      expect(response.status).toBe(400);
      expect(((await response.json()) as Record<string, unknown>).error).toBe('invalid_grant');
    }
    await expectLimited(await publicRefresh('203.0.113.10'));

    const elsewhere = await publicRefresh('203.0.113.11');
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as Record<string, unknown>).error).toBe('invalid_grant');
  });

  it('charges wrong secrets to the caller’s IP, so nobody can lock a client out by naming it', async () => {
    const basic = (secret: string) => `Basic ${Buffer.from(`${TARGET_CLIENT.client_id}:${secret}`).toString('base64')}`;
    const attempt = (secret: string, ip: string) => token({ grant_type: 'client_credentials' }, { authorization: basic(secret), 'x-forwarded-for': ip });
    for (let i = 0; i < LIMIT + 2; i += 1) {
      const response = await attempt('wrong-secret-wrong-secret-wrong-secret', '192.0.2.66');
      if (i < LIMIT) expect(response.status).toBe(401);
      else await expectLimited(response);
    }
    // The attacker's IP is stopped, even with the right secret...
    await expectLimited(await attempt(TARGET_CLIENT.client_secret, '192.0.2.66'));
    // ...while the client itself, calling from its own address, keeps its whole budget.
    for (let i = 0; i < LIMIT; i += 1) expect((await attempt(TARGET_CLIENT.client_secret, '192.0.2.10')).status).toBe(200);
  });

  it('trusts only the address the proxy appended to X-Forwarded-For, not entries the caller wrote', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      const response = await token(
        { grant_type: 'refresh_token', client_id: SPA_CLIENT.client_id, refresh_token: 'not-a-real-refresh-token' },
        { 'x-forwarded-for': `10.${i}.0.1, 203.0.113.77` },
      );
      expect(response.status).toBe(400);
    }
    await expectLimited(
      await token(
        { grant_type: 'refresh_token', client_id: SPA_CLIENT.client_id, refresh_token: 'not-a-real-refresh-token' },
        { 'x-forwarded-for': '10.99.0.1, 203.0.113.77' },
      ),
    );
  });

  it('limits only the token endpoint', async () => {
    for (let i = 0; i < LIMIT + 2; i += 1) {
      expect((await fetch(`${op.issuer}/.well-known/openid-configuration`, { headers: { 'x-forwarded-for': '203.0.113.10' } })).status).toBe(200);
    }
    expect((await fetch(`${op.issuer}/token`, { headers: { 'x-forwarded-for': '203.0.113.10' } })).status).not.toBe(429);
  });
});
