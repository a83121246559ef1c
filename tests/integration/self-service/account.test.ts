/**
 * /account over HTTP: sign-in through the account-console client, profile, password, email
 * change (code to the new address, notice to the old), phone verification by SMS code, sessions
 * and apps (revoking an app kills its refresh token), and the re-authentication window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { expectOAuthError, signIn, webClient } from '../protocol/support.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
const REAUTH_SECONDS = 4;
beforeAll(async () => {
  world = await startWorld({ ACCOUNT_REAUTH_WINDOW: String(REAUTH_SECONDS) });
});
afterAll(async () => {
  await world?.stop();
});

async function newUser(username: string, password = 'a long and private passphrase') {
  const { createUser } = await import('../../../server/modules/users/index.js');
  const c = world.op.running.container;
  return createUser(c, { username, email: `${username}@example.com`, emailVerified: true, password, profile: { name: username } });
}

describe('/account', () => {
  it('needs a sign-in; an unsigned visitor is sent through the authorization code flow', async () => {
    const agent = new UserAgent(world.op.issuer);
    const first = await agent.request('/account');
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/account/login?return=%2Faccount');
    const login = await agent.request('/account/login?return=/account');
    const authorization = new URL(login.headers.get('location')!, world.op.issuer);
    expect(authorization.pathname).toBe('/auth');
    expect(authorization.searchParams.get('client_id')).toBe('account-console');
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    // A forged callback (no matching state cookie) establishes nothing.
    const forged = await new UserAgent(world.op.issuer).request('/account/callback?code=abc&state=xyz');
    expect(forged.status).toBe(400);
  });

  it('refuses a form posted without the CSRF token of this browser', async () => {
    await newUser('csrf-target');
    const agent = new UserAgent(world.op.issuer);
    await signInToAccount(agent, 'csrf-target', 'a long and private passphrase');
    const forged = await agent.request('/account/profile', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Mallory' });
    expect(forged.status).toBe(403);
    expect((await world.op.running.container.users.findByLogin('csrf-target'))?.profile.name).toBe('csrf-target');
  });

  it('saves the profile and changes the password with the current one', async () => {
    await newUser('profiler');
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, 'profiler', 'a long and private passphrase');
    expect(html).toContain('Your account');
    const saved = await post(agent, html, '/account/profile', { name: 'Pro Filer', given_name: 'Pro', family_name: 'Filer', nickname: '' });
    expect(saved.html).toContain('Your profile was saved.');
    expect((await world.op.running.container.users.findByLogin('profiler'))?.profile).toMatchObject({ name: 'Pro Filer', given_name: 'Pro' });

    const wrong = await post(agent, saved.html, '/account/password', { current: 'not it', password: 'the next fine passphrase', confirm: 'the next fine passphrase' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('The current password is not right.');
    const weak = await post(agent, wrong.html, '/account/password', { current: 'a long and private passphrase', password: 'password1234', confirm: 'password1234' });
    expect(weak.status).toBe(400);
    const changed = await post(agent, weak.html, '/account/password', { current: 'a long and private passphrase', password: 'the next fine passphrase', confirm: 'the next fine passphrase' });
    expect(changed.html).toContain('Your password was changed.');
    await signInToAccount(new UserAgent(world.op.issuer), 'profiler', 'the next fine passphrase');
  });

  it('changes the email only after the new address is verified, and tells the old one', async () => {
    await newUser('mover');
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, 'mover', 'a long and private passphrase');
    const since = world.mailbox.count();
    const asked = await post(agent, html, '/account/email', { email: 'moved@example.com' });
    expect(asked.html).toContain('We sent a message to the address.');
    expect((await world.op.running.container.users.findByLogin('mover'))?.email).toBe('mover@example.com');
    const message = await world.mailbox.waitFor('moved@example.com', 'verify-email', { since });
    const wrong = await post(agent, asked.html, '/account/email/verify', { code: message.data.code === '999999' ? '888888' : '999999' });
    expect(wrong.status).toBe(400);
    const done = await post(agent, wrong.html, '/account/email/verify', { code: message.data.code! });
    expect(done.html).toContain('Your email address was changed.');
    const user = await world.op.running.container.users.findByLogin('mover');
    expect(user).toMatchObject({ email: 'moved@example.com', emailVerified: true });
    const notice = await world.mailbox.waitFor('mover@example.com', 'email-changed', { since });
    expect(notice.data.newEmail).toBe('m***@example.com');
  });

  it('does not reveal that a new address belongs to another account', async () => {
    await newUser('curious');
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, 'curious', 'a long and private passphrase');
    const since = world.mailbox.count();
    const asked = await post(agent, html, '/account/email', { email: TEST_USER.email });
    expect(asked.html).toContain('We sent a message to the address.');
    expect(world.mailbox.messages().slice(since).filter((m) => m.to === TEST_USER.email)).toEqual([]);
  });

  it('verifies a phone number with an SMS code', async () => {
    await newUser('caller');
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, 'caller', 'a long and private passphrase');
    const bad = await post(agent, html, '/account/phone', { phone: '0151 nope' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('international format');
    const since = world.mailbox.count();
    const sent = await post(agent, bad.html, '/account/phone', { phone: '+49 151 2345 6789' });
    expect(sent.html).toContain('We sent a code by text message.');
    const sms = await world.mailbox.waitFor('+4915123456789', 'verify-phone', { since });
    expect(sms.channel).toBe('sms');
    const done = await post(agent, sent.html, '/account/phone/verify', { code: sms.data.code! });
    expect(done.html).toContain('Your phone number is verified.');
    expect((await world.op.running.container.users.findByLogin('caller'))?.profile).toMatchObject({ phone_number: '+4915123456789', phone_number_verified: true });
  });

  it('lists sessions and apps; ending a session signs that browser out; revoking an app kills its refresh token', async () => {
    const config = await webClient(world.op);
    const appBrowser = new UserAgent(world.op.issuer);
    const { tokens } = await signIn(world.op, config, { scope: 'openid email offline_access', prompt: 'consent', agent: appBrowser });
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, TEST_USER.username, TEST_USER.password);
    expect(html).toContain('Web App');
    expect(html).toContain('this device');
    const sessionIds = [...html.matchAll(/action="\/account\/sessions\/([^/]+)\/end"/g)].map((m) => m[1]!);
    expect(sessionIds.length).toBeGreaterThanOrEqual(2);
    const current = html.match(/action="\/account\/sessions\/([^/]+)\/end"><input type="hidden" name="csrf" value="[^"]+"><button type="submit" class="secondary small">Sign out here/)?.[1];
    const other = sessionIds.find((id) => id !== current)!;
    const ended = await post(agent, html, `/account/sessions/${other}/end`, {});
    expect(ended.html).toContain('The session was ended.');
    // The app's browser must sign in again.
    const again = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    const { pages } = await authorize(appBrowser, again.url, { login: TEST_USER.username, password: TEST_USER.password });
    expect(pages[0]).toContain('name="password"');

    // offline_access outlives the session; removing the app's access ends it.
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const grantId = ended.html.match(/action="\/account\/apps\/([^/]+)\/revoke"/)![1]!;
    const revoked = await post(agent, ended.html, `/account/apps/${grantId}/revoke`, {});
    expect(revoked.html).toContain('The app no longer has access.');
    await expectOAuthError(client.refreshTokenGrant(config, refreshed.refresh_token!), 'invalid_grant');
  });

  it('asks for a fresh sign-in before sensitive changes once the window has passed', async () => {
    await newUser('sleeper');
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, 'sleeper', 'a long and private passphrase');
    await new Promise((resolve) => setTimeout(resolve, (REAUTH_SECONDS + 1) * 1000));
    const stale = await page(agent, '/account');
    expect(stale.html).toContain('confirm it is you first');
    expect(stale.html).not.toContain('action="/account/email"');
    const refused = await agent.submit('/account/phone', { csrf: html.match(/name="csrf" value="([^"]+)"/)![1]!, phone: '+4915100000000' });
    expect(refused.url.pathname).toMatch(/^\/interaction\//);
    const login = await refused.response.text();
    expect(login).toContain('name="password"');
    expect((await world.op.running.container.users.findByLogin('sleeper'))?.profile.phone_number).toBeUndefined();
    const action = login.match(/action="(\/interaction\/[^"]+\/login)"/)![1]!;
    const back = await post(agent, login, action, { login: 'sleeper', password: 'a long and private passphrase' });
    expect(back.url.pathname).toBe('/account');
    expect(back.html).toContain('action="/account/email"');
  });
});
