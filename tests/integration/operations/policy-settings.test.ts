/**
 * The policy numbers that used to be written into the wiring are settings, and the running
 * server honours them: the product name in messages (BRAND_NAME), the per-IP sign-in budget
 * (LOGIN_FAILURE_IP_FACTOR), the per-IP message budget (SELF_SERVICE_IP_FACTOR) and how long a
 * failure series is remembered (LOCKOUT_WINDOW). Each value differs from the old constant, so a
 * wiring that ignored the setting fails here.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest, discover } from '../../helpers/rp.js';
import { redisUrl } from '../../helpers/stores.js';
import { page, post, startWorld, type SelfServiceWorld } from '../self-service/support.js';

const LOGIN_LIMIT = 2;
const LOGIN_IP_FACTOR = 2;
const LOCKOUT_WINDOW = 5400;
let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld({
    BRAND_NAME: 'Acme Identity',
    LOGIN_FAILURE_LIMIT: String(LOGIN_LIMIT),
    LOGIN_FAILURE_IP_FACTOR: String(LOGIN_IP_FACTOR),
    LOCKOUT_WINDOW: String(LOCKOUT_WINDOW),
    SELF_SERVICE_MESSAGE_LIMIT: '1',
    SELF_SERVICE_IP_FACTOR: '2',
    // So each sign-in attempt can speak for a client IP through X-Forwarded-For.
    TRUST_PROXY: 'true',
  });
});
afterAll(async () => {
  await world?.stop();
});

async function attempt(login: string, ip: string) {
  const config = await discover(world.op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const { url } = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
  const agent = new UserAgent(world.op.issuer);
  const { response } = await agent.follow(url, { headers: { 'x-forwarded-for': ip } });
  const html = await response.text();
  return agent.request(formAction(html, '/interaction/'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
    body: new URLSearchParams({ csrf: csrfOf(html), login, password: 'wrong guess' }),
  });
}

describe('BRAND_NAME', () => {
  it('names the product in notification messages', () => {
    const { templates } = world.op.running.container.delivery;
    expect(templates.renderSms('verify-phone', 'en', { code: '123456', expiresInMinutes: '5' }).body).toContain('Acme Identity code');
    expect(templates.renderEmail('verify-email', 'en', { link: 'http://x/', code: '1', expiresInMinutes: '5' }).subject).toBe('Confirm your email address for Acme Identity');
  });
});

describe('LOGIN_FAILURE_IP_FACTOR', () => {
  it('allows LOGIN_FAILURE_LIMIT × the factor failures per address across accounts, then refuses', async () => {
    for (let i = 0; i < LOGIN_LIMIT * LOGIN_IP_FACTOR; i += 1) expect((await attempt(`spray-${i}`, '198.51.100.40')).status).toBe(401);
    expect((await attempt('spray-last', '198.51.100.40')).status).toBe(429);
    // Another address still has its own budget.
    expect((await attempt('spray-last', '198.51.100.41')).status).toBe(401);
  });
});

describe('SELF_SERVICE_IP_FACTOR', () => {
  async function requestReset(email: string) {
    const agent = new UserAgent(world.op.issuer);
    const { html } = await page(agent, '/account/recover');
    return post(agent, html, '/account/recover', { email });
  }

  it('allows SELF_SERVICE_MESSAGE_LIMIT × the factor messages per address across recipients, then refuses', async () => {
    expect((await requestReset('first@example.com')).status).toBe(200);
    expect((await requestReset('second@example.com')).status).toBe(200);
    const refused = await requestReset('third@example.com');
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many attempts');
  });
});

describe.skipIf(!redisUrl)('LOCKOUT_WINDOW', () => {
  it('keeps a failure series in Redis for LOCKOUT_WINDOW seconds', async () => {
    const prefix = `${world.op.env.REDIS_KEY_PREFIX}backoff:failures`;
    const redis = new Redis(redisUrl!);
    try {
      const keys = await redis.keys(`${prefix}*`);
      // The spray above recorded failures for several accounts.
      expect(keys.length).toBeGreaterThan(0);
      const ttl = await redis.ttl(keys[0]!);
      expect(ttl).toBeGreaterThan(LOCKOUT_WINDOW - 120);
      expect(ttl).toBeLessThanOrEqual(LOCKOUT_WINDOW);
    } finally {
      redis.disconnect();
    }
  });
});
