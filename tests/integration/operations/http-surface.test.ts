/**
 * What every response carries (security headers, no-store, a request id), health endpoints, and
 * how errors look from outside: no internals, a request id to quote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { SERVICE_CLIENT, startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, discover, pkcePair } from '../../helpers/rp.js';
import { redisUrl } from '../../helpers/stores.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STACK_TRACE = /\bat [^\n]*\.(ts|js|mjs|cjs):\d+|node_modules|\/work\//;

function expectSecurityHeaders(response: Response) {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(response.headers.get('strict-transport-security')).toBeNull();
}

/** Starts a sign-in for the web client and returns the agent holding the interaction and the login page. */
async function loginPage() {
  const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const { verifier, challenge } = await pkcePair();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: WEB_CLIENT.redirect_uri,
    scope: 'openid profile',
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: client.randomState(),
  });
  const agent = new UserAgent(op.issuer);
  const { response } = await agent.follow(url);
  const html = await response.clone().text();
  return { config, verifier, agent, response, html };
}

function basic(id: string, secret: string) {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

describe('security headers', () => {
  it('are on an HTML page, whose CSP also limits form targets to the client', async () => {
    const { response, html } = await loginPage();
    expect(response.status).toBe(200);
    expect(html).toContain('name="password"');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expectSecurityHeaders(response);
    expect(response.headers.get('content-security-policy')).toContain(`form-action 'self' ${new URL(WEB_CLIENT.redirect_uri).origin}`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle="/i);
  });

  it('are on the provider’s own HTML error page', async () => {
    const response = await fetch(`${op.issuer}/auth?client_id=nobody&response_type=code&scope=openid`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(400);
    expectSecurityHeaders(response);
    const html = await response.text();
    expect(html).toContain('invalid_client');
    expect(html).not.toMatch(STACK_TRACE);
  });

  it('are on JSON responses', async () => {
    for (const path of ['/healthz', '/readyz', '/jwks']) {
      const response = await fetch(`${op.issuer}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/json/);
      expectSecurityHeaders(response);
    }
  });

  it('are on discovery', async () => {
    const response = await fetch(`${op.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, unknown>).issuer).toBe(op.issuer);
    expectSecurityHeaders(response);
  });
});

describe('Cache-Control: no-store', () => {
  it('is on client credentials token responses', async () => {
    const response = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { authorization: basic(SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, unknown>).access_token).toBeTruthy();
    expect(response.headers.get('cache-control')).toBe('no-store');
    expectSecurityHeaders(response);
  });

  it('is on every interaction page and on the code exchange', async () => {
    const { config, verifier, agent, response, html } = await loginPage();
    expect(response.headers.get('cache-control')).toBe('no-store');
    const consent = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), login: TEST_USER.username, password: TEST_USER.password });
    expect(consent.response.status).toBe(200);
    const consentHtml = await consent.response.text();
    expect(consentHtml).toContain('name="decision"');
    expect(consent.response.headers.get('cache-control')).toBe('no-store');
    const done = await agent.submit(formAction(consentHtml, '/interaction/'), { csrf: csrfOf(consentHtml), decision: 'allow' });
    expect(done.url.origin).toBe(new URL(WEB_CLIENT.redirect_uri).origin);
    const code = done.url.searchParams.get('code')!;
    const token = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: WEB_CLIENT.redirect_uri, code_verifier: verifier }),
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as Record<string, unknown>).id_token).toBeTruthy();
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(config.serverMetadata().issuer).toBe(op.issuer);
  });

  it('is replaced only for static assets, which may be cached', async () => {
    const response = await fetch(`${op.issuer}/assets/styles.css`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  });
});

describe('health', () => {
  it('/healthz answers while the process runs', async () => {
    const response = await fetch(`${op.issuer}/healthz`);
    expect(response.status).toBe(200);
    expect((await response.json()) as Record<string, unknown>).toEqual({ status: 'ok' });
  });

  it('/readyz checks the database, Redis when configured, that the audit trail appends, and that the bootstrap finished', async () => {
    const response = await fetch(`${op.issuer}/readyz`);
    expect(response.status).toBe(200);
    expect((await response.json()) as Record<string, unknown>).toEqual({
      status: 'ready',
      checks: redisUrl ? { database: 'ok', redis: 'ok', audit: 'ok', bootstrap: 'ok' } : { database: 'ok', audit: 'ok', bootstrap: 'ok' },
    });
  });
});

describe('X-Request-Id', () => {
  it('keeps a well-formed inbound id and logs the request under it', async () => {
    const inbound = `lb-${Date.now()}-a1b2c3`;
    const response = await fetch(`${op.issuer}/healthz`, { headers: { 'x-request-id': inbound } });
    expect(response.headers.get('x-request-id')).toBe(inbound);
    const line = op.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === inbound);
    expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/healthz', status: 200 });
  });

  it.each([
    ['with spaces and punctuation', 'bad id!'],
    ['too short', 'abc'],
    ['too long', 'x'.repeat(200)],
    ['with log-breaking characters', 'abcdefgh"}{"admin":true'],
  ])('replaces an id %s with a fresh one', async (_what, inbound) => {
    const response = await fetch(`${op.issuer}/healthz`, { headers: { 'x-request-id': inbound } });
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(UUID);
    const logged = op.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.some((l) => l.requestId === id && l.path === '/healthz')).toBe(true);
    expect(logged.some((l) => l.requestId === inbound)).toBe(false);
  });

  it('gives each request its own id when none is sent', async () => {
    const [a, b] = await Promise.all([fetch(`${op.issuer}/healthz`), fetch(`${op.issuer}/healthz`)]);
    expect(a.headers.get('x-request-id')).toMatch(UUID);
    expect(b.headers.get('x-request-id')).toMatch(UUID);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('errors seen from outside', () => {
  it('an unknown path is a plain 404 with the security headers and nothing internal', async () => {
    const response = await fetch(`${op.issuer}/api/does-not-exist`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(404);
    expectSecurityHeaders(response);
    expect(response.headers.get('x-request-id')).toMatch(UUID);
    expect(await response.text()).not.toMatch(STACK_TRACE);
  });

  it('a CSRF failure on the login form is a 403 page with a stable code and the request id, and the form still works after it', async () => {
    const { agent, html } = await loginPage();
    const action = formAction(html, '/interaction/');
    const refused = await agent.request(action, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: 'forged-token', login: TEST_USER.username, password: TEST_USER.password }),
    });
    expect(refused.status).toBe(403);
    // Interaction routes are browser pages: they answer HTML even to a JSON Accept header.
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expectSecurityHeaders(refused);
    const page = await refused.text();
    expect(page).toContain('csrf_failed');
    expect(page).toContain(refused.headers.get('x-request-id')!);
    expect(page).not.toMatch(STACK_TRACE);
    expect(page).not.toContain(TEST_USER.password);

    const retried = await agent.submit(action, { csrf: csrfOf(html), login: TEST_USER.username, password: TEST_USER.password });
    expect(retried.response.status).toBe(200);
    expect(await retried.response.text()).toContain('name="decision"');
  });

  it('a login post without a live interaction says it expired, without internals', async () => {
    const response = await fetch(`${op.issuer}/interaction/not-a-real-uid/login`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'csrf=x&login=alice&password=y',
    });
    expect(response.status).toBe(410);
    const page = await response.text();
    expect(page).toContain('interaction_expired');
    expect(page).not.toMatch(STACK_TRACE);
  });
});

// Last: these restart the provider with another issuer.
describe('Strict-Transport-Security', () => {
  const hstsOf = async (headers: Record<string, string> = {}) =>
    (await fetch(`${op.running.url}/healthz`, { headers })).headers.get('strict-transport-security');

  it('is absent with an http issuer, even behind a proxy reporting https', async () => {
    await op.restart({ TRUST_PROXY: 'true' });
    expect(await hstsOf()).toBeNull();
    expect(await hstsOf({ 'x-forwarded-proto': 'https' })).toBeNull();
  });

  it('is sent with an https issuer on requests the trusted proxy received over https, and only those', async () => {
    await op.restart({ ISSUER: 'https://id.example.test', TRUST_PROXY: 'true' });
    expect(await hstsOf({ 'x-forwarded-proto': 'https' })).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    // RFC 6797 §7.2: never over plain HTTP.
    expect(await hstsOf()).toBeNull();
    expect(await hstsOf({ 'x-forwarded-proto': 'http' })).toBeNull();
  });

  it('ignores X-Forwarded-Proto when the proxy is not trusted', async () => {
    await op.restart({ ISSUER: 'https://id.example.test', TRUST_PROXY: 'false' });
    expect(await hstsOf({ 'x-forwarded-proto': 'https' })).toBeNull();
  });
});
