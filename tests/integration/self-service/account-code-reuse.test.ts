/**
 * The account console redeems its authorization code in-process; a code redeemed twice was
 * intercepted, so (as at the token endpoint) the second redemption is refused and the sign-in
 * the code came from is revoked: its grant and its browser session, which /account runs on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { TEST_USER } from '../../helpers/provider.js';
import { startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

/** Signs in from /account/login and stops at the console's callback, not yet redeemed. */
async function untilCallback(agent: UserAgent): Promise<URL> {
  let response = await agent.request('/account/login?return=/account');
  let url = new URL(response.headers.get('location')!, world.op.issuer);
  for (let hops = 0; hops < 20; hops += 1) {
    if (url.pathname === '/account/callback') return url;
    response = await agent.request(url);
    if (response.status === 200) {
      const html = await response.text();
      response = await agent.request(formAction(html, '/interaction/'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: csrfOf(html), login: TEST_USER.username, password: TEST_USER.password }).toString(),
      });
    }
    url = new URL(response.headers.get('location')!, url);
  }
  throw new Error('never reached the account callback');
}

describe('account console code redemption', () => {
  it('refuses a code redeemed twice and ends the session the code was issued in', async () => {
    const agent = new UserAgent(world.op.issuer);
    const callback = await untilCallback(agent);
    // What an attacker holding the code and the login cookie would send.
    const replayCookies = agent.jar.header(callback);

    const first = await agent.request(callback);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/account');
    expect((await agent.request('/account')).status).toBe(200);

    const replay = await fetch(callback, { headers: { cookie: replayCookies }, redirect: 'manual' });
    expect(replay.status).toBe(400);

    // The first redemption's sign-in is gone: /account asks for a sign-in again.
    const after = await agent.request('/account');
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toBe('/account/login?return=%2Faccount');
  }, 120_000);

  it('redeems a code once without ending anything', async () => {
    const agent = new UserAgent(world.op.issuer);
    expect((await agent.request(await untilCallback(agent))).headers.get('location')).toBe('/account');
    expect((await agent.request('/account')).status).toBe(200);
  }, 120_000);
});
