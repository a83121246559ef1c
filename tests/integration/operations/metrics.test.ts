/**
 * /metrics after real traffic: openid-client's token requests are counted by grant type, HTTP
 * requests by route pattern (never a raw path with an interaction uid), the audit queue and
 * process metrics are exposed; the endpoint refuses scrapes without the bearer token, and is
 * absent unless enabled.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_CLIENT, startTestProvider, TEST_USER, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { signIn, webClient } from '../protocol/support.js';

const METRICS_TOKEN = randomBytes(32).toString('base64url');
let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider({ env: { METRICS_ENABLED: 'true', METRICS_TOKEN } });
});
afterAll(async () => {
  await op?.stop();
});

const scrape = (headers: Record<string, string> = {}) => fetch(`${op.issuer}/metrics`, { headers });
/** The value of one sample line, e.g. `oidc_tokens_issued_total{grant_type="client_credentials"}`. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : undefined;
};

describe('/metrics', () => {
  it('refuses a scrape without the bearer token, or with a wrong one', async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).toBe('');
    expect((await scrape({ authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` })).status).toBe(401);
  });

  it('counts real token requests by grant type and HTTP requests by route pattern', async () => {
    const service = await discover(op.issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
    for (let i = 0; i < 3; i += 1) await client.clientCredentialsGrant(service);
    const web = await webClient(op);
    const { tokens } = await signIn(op, web, { scope: 'openid offline_access', prompt: 'consent' });
    await client.refreshTokenGrant(web, tokens.refresh_token!);

    const response = await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(sample(text, 'oidc_tokens_issued_total{grant_type="client_credentials"}')).toBe(3);
    expect(sample(text, 'oidc_tokens_issued_total{grant_type="authorization_code"}')).toBe(1);
    expect(sample(text, 'oidc_tokens_issued_total{grant_type="refresh_token"}')).toBe(1);
    expect(sample(text, 'http_requests_total{route="/token",method="POST",status="200"}')).toBe(5);
    expect(sample(text, 'http_requests_total{route="/.well-known/openid-configuration",method="GET",status="200"}')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/http_requests_total\{route="\/interaction\/:uid[^"]*",method="(GET|POST)",status="\d{3}"\} \d+/);
    expect(sample(text, 'http_requests_total{route="/auth/:uid",method="GET",status="303"}')).toBeGreaterThanOrEqual(1);
    // Every route label is a pattern of lower-case words and :params; interaction uids (random,
    // mixed case and digits) never appear.
    const routes = [...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]!);
    expect(routes.length).toBeGreaterThan(5);
    for (const route of routes) expect(route).toMatch(/^((\/(:[a-z_]+|[a-z._-]+))+|unmatched)$/);
    expect(sample(text, 'auth_login_attempts_total{outcome="success"}')).toBe(1);
    expect(sample(text, 'audit_queue_depth')).toBeTypeOf('number');
    expect(sample(text, 'audit_events_dropped_total')).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('counts sign-in outcomes, outbox deliveries with their duration, and the outbox depth', async () => {
    const web = await webClient(op);
    await expect(signIn(op, web, { scope: 'openid', user: { login: TEST_USER.username, password: 'not the password' } })).rejects.toThrow('login refused');
    // Development without a channel: the log channel delivers, through the same outbox and worker.
    await op.running.container.notifier.enqueue({ channel: 'email', template: 'verify-email', locale: 'en', to: 'metrics@example.com', data: { link: 'http://x/', code: '1', expiresInMinutes: '5' } });
    await op.running.container.delivery.worker.runOnce();

    const text = await (await scrape({ authorization: `Bearer ${METRICS_TOKEN}` })).text();
    expect(sample(text, 'auth_login_attempts_total{outcome="failure"}')).toBe(1);
    expect(sample(text, 'outbox_deliveries_total{kind="email",status="delivered"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'outbox_delivery_duration_seconds_count{kind="email"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'outbox_depth')).toBe(0);
  });
});

describe('/metrics when not enabled', () => {
  it('is not served', async () => {
    const plain = await startTestProvider({ seed: false });
    try {
      const response = await fetch(`${plain.issuer}/metrics`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('http_requests_total');
    } finally {
      await plain.stop();
    }
  });
});
