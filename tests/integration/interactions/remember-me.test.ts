import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, discover } from '../../helpers/rp.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

/** Logs in and @returns the Set-Cookie header that carried the provider's session cookie. */
async function sessionCookieAfterLogin(remember: boolean): Promise<string> {
  const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const { url } = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
  const agent = new UserAgent(op.issuer);
  const { response } = await agent.follow(url);
  const html = await response.text();
  expect(html).toContain('Keep me signed in on this device');
  const fields: Record<string, string> = { csrf: csrfOf(html), login: TEST_USER.username, password: TEST_USER.password };
  if (remember) fields.remember = 'yes';
  const login = await agent.request(formAction(html, '/interaction/'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const resumed = await agent.request(login.headers.get('location')!);
  const cookie = resumed.headers.getSetCookie().find((c) => c.startsWith('_session='));
  expect(cookie).toBeTruthy();
  return cookie!;
}

describe('"keep me signed in"', () => {
  it('gives a persistent session cookie when ticked', async () => {
    expect(await sessionCookieAfterLogin(true)).toMatch(/expires=/i);
  });

  it('gives a browser-session cookie otherwise', async () => {
    expect(await sessionCookieAfterLogin(false)).not.toMatch(/expires=|max-age=/i);
  });
});
