/**
 * Self-service reached from a sign-in page: the links under the form, a sign-up that continues the
 * authorization request signed in as the new account, and new-device notices at login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { webClient } from '../protocol/support.js';
import { page, post, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

describe('from the sign-in page', () => {
  it('links to recovery and sign-up; a verified sign-up continues the authorization', async () => {
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email' });
    const agent = new UserAgent(world.op.issuer);
    const login = await page(agent, request.url.toString());
    const uid = login.url.pathname.split('/')[2]!;
    expect(login.html).toContain(`href="/account/recover?interaction=${uid}"`);
    expect(login.html).toContain(`href="/account/register?interaction=${uid}"`);

    const form = await page(agent, `/account/register?interaction=${uid}`);
    expect(form.html).toContain(`name="interaction" value="${uid}"`);
    const since = world.mailbox.count();
    const sent = await post(agent, form.html, '/account/register', { username: 'joiner', email: 'joiner@example.com', password: 'joining from the sign-in page', interaction: uid });
    const { data } = await world.mailbox.waitFor('joiner@example.com', 'verify-email', { since });
    const verified = await post(agent, sent.html, '/account/register/verify', { code: data.code! });
    // Back in the authorization request, signed in: the consent page of the client.
    expect(verified.html).toContain('name="decision"');
    const { callback } = await authorize(agent, verified.url, undefined);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    const joiner = await world.op.running.container.users.findByLogin('joiner');
    expect(tokens.claims()?.sub).toBe(joiner!.id);
  });

  it('hides the sign-up link when registration is off and refuses the page', async () => {
    const closed = await startWorld({ SIGNUP_ENABLED: 'false' });
    try {
      const config = await webClient(closed.op);
      const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
      const login = await page(new UserAgent(closed.op.issuer), request.url.toString());
      expect(login.html).toContain('/account/recover?interaction=');
      expect(login.html).not.toContain('/account/register');
      expect((await page(new UserAgent(closed.op.issuer), '/account/register')).status).toBe(404);
    } finally {
      await closed.stop();
    }
  });

  it('tells the owner about a sign-in from a new device, once per device', async () => {
    const config = await webClient(world.op);
    const signInWith = async (agent: UserAgent) => {
      const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
      await authorize(agent, request.url, { login: TEST_USER.username, password: TEST_USER.password });
    };
    const laptop = new UserAgent(world.op.issuer);
    const since = world.mailbox.count();
    await signInWith(laptop);
    // The first device an account is seen on is not news.
    expect(world.mailbox.messages().slice(since).filter((m) => m.template === 'new-device')).toEqual([]);
    laptop.jar.store(new Response(null, { headers: [['set-cookie', '_session=; Path=/; Max-Age=0']] }));
    await signInWith(laptop);
    expect(world.mailbox.messages().slice(since).filter((m) => m.template === 'new-device')).toEqual([]);

    const phone = new UserAgent(world.op.issuer);
    await signInWith(phone);
    const notice = await world.mailbox.waitFor(TEST_USER.email, 'new-device', { since });
    expect(notice.data.ip).toBe('127.0.0.1');
    expect(notice.data.resetLink).toBe(`${world.op.issuer}/account/recover`);
  });
});
