/**
 * RFC 8628 §5.1: wrong user codes are limited per IP and over all IPs together. Small budgets
 * here (3 per IP, 5 in total) so the limits are reached in a few requests; the callers' IPs come
 * from X-Forwarded-For (TRUST_PROXY: one trusted hop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords } from '../../helpers/audit.js';
import { UserAgent } from '../../helpers/browser.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { deviceSeed, TV_CLIENT, xsrfOf } from './support.js';

let op: TestProvider;

beforeAll(async () => {
  op = await startTestProvider({
    seed: deviceSeed(),
    env: { TRUST_PROXY: 'true', DEVICE_USER_CODE_LIMIT_IP: '3', DEVICE_USER_CODE_LIMIT_TOTAL: '5', DEVICE_USER_CODE_LIMIT_WINDOW: '3600' },
  });
}, 60_000);
afterAll(async () => op?.stop());

/** One code submitted from `ip`: @returns the status and page. */
async function guess(ip: string, userCode: string) {
  const agent = new UserAgent(op.issuer);
  const headers = { 'x-forwarded-for': ip };
  const page = await agent.request(`${op.issuer}/device`, { headers });
  const html = await page.text();
  const answer = await agent.request(`${op.issuer}/device`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf: xsrfOf(html), user_code: userCode }).toString(),
  });
  return { status: answer.status, retryAfter: answer.headers.get('retry-after'), html: await answer.text() };
}

describe('user-code guessing', () => {
  it('an IP that sent 3 wrong codes is refused with 429 even for a right one; other IPs go on', async () => {
    for (const code of ['BCDF-GHJK', 'BCDF-GHJL', 'BCDF-GHJM']) {
      const answer = await guess('203.0.113.7', code);
      expect(answer.status).toBe(200);
      expect(answer.html).toContain('This code is not valid.');
    }
    const config = await discover(op.issuer, TV_CLIENT.client_id);
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    const refused = await guess('203.0.113.7', authorization.user_code);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.html).toContain('Too many wrong codes.');
    // Another IP with the right code reaches the confirmation.
    const other = await guess('198.51.100.20', authorization.user_code);
    expect(other.status).toBe(200);
    expect(other.html).toContain('Connect Living Room TV?');
    const throttled = await auditRecords(op, 'oidc.device.user_code_throttled');
    expect(throttled.map((r) => r.ip)).toContain('203.0.113.7');
  });

  it('wrong codes from many IPs together reach the overall limit', async () => {
    // 3 wrong codes so far; two more from fresh IPs spend the overall budget of 5.
    expect((await guess('198.51.100.21', 'BCDF-GHJN')).status).toBe(200);
    expect((await guess('198.51.100.22', 'BCDF-GHJP')).status).toBe(200);
    const refused = await guess('198.51.100.23', 'BCDF-GHJQ');
    expect(refused.status).toBe(429);
    expect((await auditRecords(op, 'oidc.device.user_code_rejected')).length).toBe(5);
  });
});
