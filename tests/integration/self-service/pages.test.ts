/**
 * What the redesigned self-service pages promise, over HTTP: a finished password reset leads back
 * to the sign-in (and app) it was asked for from, and only in the browser that asked; "check your
 * email" names the address (escaped) and offers another; /account shows phone numbers in their
 * country's grouping with a "not verified" badge unlike the "verified" one, and keeps every edit
 * form closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { createUser } from '../../../server/modules/users/index.js';
import { webClient } from '../protocol/support.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

async function resetLink(agent: UserAgent, path: string, email: string): Promise<string> {
  const form = await page(agent, path);
  const since = world.mailbox.count();
  const sent = await post(agent, form.html, '/account/recover', { email, ...(path.includes('interaction=') ? { interaction: new URL(path, world.op.issuer).searchParams.get('interaction')! } : {}) });
  expect(sent.status).toBe(200);
  const { data } = await world.mailbox.waitFor(email, 'password-reset', { since });
  const link = new URL(data.link!);
  return link.pathname + link.search;
}

async function finishReset(agent: UserAgent, link: string, password: string) {
  const form = await page(agent, link);
  const token = new URL(link, world.op.issuer).searchParams.get('token')!;
  const done = await post(agent, form.html, '/account/reset', { token, password, confirm: password });
  expect(done.status).toBe(200);
  return done.html;
}

describe('a finished password reset', () => {
  it('returns to the sign-in it was asked for from, and through it to the app', async () => {
    await createUser(world.op.running.container, { username: 'returner', email: 'returner@example.com', emailVerified: true, password: 'the password before the reset', profile: {} });
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    const agent = new UserAgent(world.op.issuer);
    const login = await page(agent, request.url.toString());
    const uid = login.url.pathname.split('/')[2]!;

    const done = await finishReset(agent, await resetLink(agent, `/account/recover?interaction=${uid}`, 'returner@example.com'), 'the password after the reset');
    expect(done).toContain(`href="/interaction/${uid}"`);
    expect(done).toContain('Continue signing in');

    // The link leads to the same sign-in; the new password finishes it at the client.
    const again = await page(agent, `/interaction/${uid}`);
    const action = again.html.match(/action="(\/interaction\/[^"]+\/login)"/)![1]!;
    const signedIn = await post(agent, again.html, action, { login: 'returner', password: 'the password after the reset' });
    const { callback } = await authorize(agent, signedIn.url, undefined);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.claims()?.sub).toBe((await world.op.running.container.users.findByLogin('returner'))!.id);

    // Used once: a second visit of the done page has nowhere to return to.
    expect((await page(agent, '/account/reset/done')).html).toContain('href="/account"');
  });

  it('ends at the account pages in a browser that did not ask for it, or without a sign-in', async () => {
    const asker = new UserAgent(world.op.issuer);
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    const uid = (await page(asker, request.url.toString())).url.pathname.split('/')[2]!;
    const link = await resetLink(asker, `/account/recover?interaction=${uid}`, TEST_USER.email);
    const elsewhere = await finishReset(new UserAgent(world.op.issuer), link, 'reset from another browser');
    expect(elsewhere).not.toContain('/interaction/');
    expect(elsewhere).toContain('href="/account"');

    const standalone = new UserAgent(world.op.issuer);
    const own = await finishReset(standalone, await resetLink(standalone, '/account/recover', TEST_USER.email), 'reset without any sign-in');
    expect(own).not.toContain('/interaction/');
  });

});

describe('"check your email"', () => {
  it('names the address it wrote to, escaped, and offers to use a different one', async () => {
    const agent = new UserAgent(world.op.issuer);
    const form = await page(agent, '/account/register');
    const email = "o'neil&sons@example.com";
    const sent = await post(agent, form.html, '/account/register', { username: 'oneil', email, password: 'checking the address shown' });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('o&#39;neil&amp;sons@example.com');
    expect(sent.html).not.toContain("o'neil&sons");
    expect(sent.html).toContain('href="/account/register/change"');
    // The change form keeps the address (escaped) for correcting it.
    const change = await page(agent, '/account/register/change');
    expect(change.html).toContain('value="o&#39;neil&amp;sons@example.com"');
    expect(change.html).not.toContain("o'neil&sons");
  });
});

describe('/account', () => {
  it('shows the phone number grouped for its country, its badge, and every edit form closed', async () => {
    await createUser(world.op.running.container, { username: 'caller', email: 'caller@example.com', emailVerified: true, password: 'calling from a german mobile', profile: { phone_number: '+4915123456789', phone_number_verified: false } });
    const html = await signInToAccount(new UserAgent(world.op.issuer), 'caller', 'calling from a german mobile');
    expect(html).toContain('+49 1512 3456789');
    expect(html).toMatch(/class="badge badge-warn">not verified</);
    expect(html).toMatch(/class="badge badge-ok">verified</);
    expect(html).not.toMatch(/<details class="edit" open/);
    for (const id of ['profile', 'security', 'sessions', 'apps']) expect(html).toContain(`href="#${id}"`);
  });
});
