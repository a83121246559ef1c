/**
 * Password guessing at the login form is throttled per login name and IP, and per IP; the owner
 * signing in from elsewhere is not locked out, and the answer is the same for unknown accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, discover } from '../../helpers/rp.js';

const LIMIT = 3;
let op: TestProvider;
beforeAll(async () => {
  // TRUST_PROXY so each attempt can speak for a client IP through X-Forwarded-For.
  op = await startTestProvider({ env: { LOGIN_FAILURE_LIMIT: String(LIMIT), TRUST_PROXY: 'true' } });
});
afterAll(async () => {
  await op?.stop();
});

async function attempt(login: string, password: string, ip: string) {
  const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const { url } = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
  const agent = new UserAgent(op.issuer);
  const { response } = await agent.follow(url, { headers: { 'x-forwarded-for': ip } });
  const html = await response.text();
  return agent.request(formAction(html, '/interaction/'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams({ csrf: csrfOf(html), login, password }),
  });
}

describe('login throttling', () => {
  it('stops guessing one account from one address, even with the right password, and says when to retry', async () => {
    for (let i = 0; i < LIMIT; i += 1) expect((await attempt(TEST_USER.username, 'wrong guess', '198.51.100.20')).status).toBe(401);
    const blocked = await attempt(TEST_USER.username, TEST_USER.password, '198.51.100.20');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain('Too many failed attempts');
  });

  it('does not lock the owner out from another address', async () => {
    const response = await attempt(TEST_USER.username, TEST_USER.password, '198.51.100.21');
    expect(response.status).toBe(303);
  });

  it('answers an unknown account exactly as a known one', async () => {
    for (let i = 0; i < LIMIT; i += 1) expect((await attempt('nobody-here', 'wrong guess', '198.51.100.22')).status).toBe(401);
    expect((await attempt('nobody-here', 'wrong guess', '198.51.100.22')).status).toBe(429);
  });

  it('stops one address spraying many accounts', async () => {
    let last = 0;
    for (let i = 0; i < LIMIT * 10 + 1; i += 1) last = (await attempt(`spray-${i}`, 'wrong guess', '198.51.100.23')).status;
    expect(last).toBe(429);
  });
});
