/**
 * Password recovery over HTTP: same answer for unknown addresses, single-use link, policy on the
 * new password, and afterwards nothing issued before the reset works: refresh tokens (openid-client
 * refreshing), access tokens (introspection) and browser sessions (/account asks to sign in).
 */
import { auditRecords } from '../../helpers/audit.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { TEST_USER } from '../../helpers/provider.js';
import { client } from '../../helpers/rp.js';
import { expectOAuthError, introspect, signIn, webClient } from '../protocol/support.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld({ SELF_SERVICE_MESSAGE_LIMIT: '3' });
});
afterAll(async () => {
  await world?.stop();
});

async function requestReset(email: string) {
  const agent = new UserAgent(world.op.issuer);
  const { html } = await page(agent, '/account/recover');
  return post(agent, html, '/account/recover', { email });
}

describe('password recovery', () => {
  it('answers the same for an unknown address and sends nothing', async () => {
    const since = world.mailbox.count();
    const known = await requestReset(TEST_USER.email);
    const unknown = await requestReset('nobody@example.com');
    expect(unknown.status).toBe(known.status);
    const body = (html: string) => html.replace(/name="csrf" value="[^"]+"/g, '');
    expect(body(unknown.html)).toBe(body(known.html));
    await world.mailbox.waitFor(TEST_USER.email, 'password-reset', { since });
    expect(world.mailbox.messages().slice(since).filter((m) => m.to === 'nobody@example.com')).toEqual([]);
  });

  it('throttles per address, existing or not, with the same answer', async () => {
    for (const email of ['ghost@example.com', 'ghost@example.com', 'ghost@example.com']) expect((await requestReset(email)).status).toBe(200);
    const refused = await requestReset('ghost@example.com');
    expect(refused.status).toBe(429);
    expect(refused.html).toContain('Too many attempts');
  });

  it('resets once; every session, refresh token and access token of the account is dead afterwards', async () => {
    const config = await webClient(world.op);
    const { tokens } = await signIn(world.op, config, { scope: 'openid email offline_access', prompt: 'consent' });
    expect(tokens.refresh_token).toBeTruthy();
    const accountBrowser = new UserAgent(world.op.issuer);
    await signInToAccount(accountBrowser, TEST_USER.username, TEST_USER.password);

    const since = world.mailbox.count();
    await requestReset(TEST_USER.email);
    const { data } = await world.mailbox.waitFor(TEST_USER.email, 'password-reset', { since });
    const link = new URL(data.link!);
    const resetter = new UserAgent(world.op.issuer);
    const form = await page(resetter, link.pathname + link.search);
    expect(form.status).toBe(200);
    // Opening the link twice (a mail scanner, then the person) does not spend it.
    expect((await page(resetter, link.pathname + link.search)).status).toBe(200);
    const weak = await post(resetter, form.html, '/account/reset', { token: link.searchParams.get('token')!, password: 'iloveyou', confirm: 'iloveyou' });
    expect(weak.status).toBe(400);
    expect(weak.html).toContain('Use at least 12 characters.');
    const newPassword = 'a completely fresh passphrase';
    const done = await post(resetter, weak.html, '/account/reset', { token: link.searchParams.get('token')!, password: newPassword, confirm: newPassword });
    expect(done.status).toBe(200);
    expect(done.html).toContain('All your sessions were ended');

    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant');
    expect(await introspect(world.op, tokens.access_token)).toEqual({ active: false });
    const account = await page(accountBrowser, '/account');
    expect(account.html).toContain('name="password"');
    expect(account.url.pathname).toMatch(/^\/interaction\//);

    const reused = await post(resetter, form.html, '/account/reset', { token: link.searchParams.get('token')!, password: 'yet another good passphrase', confirm: 'yet another good passphrase' });
    expect(reused.status).toBe(400);
    expect(reused.html).toContain('cannot be used');

    await signInToAccount(new UserAgent(world.op.issuer), TEST_USER.username, newPassword);
    // Audited by type and outcome; the token is in no log line (request paths are logged without query).
    for (const type of ['user.password.reset_requested', 'user.password.reset', 'user.sessions.revoked'] as const) {
      expect((await auditRecords(world.op, type)).length, type).toBeGreaterThan(0);
    }
    expect(world.op.logs.some((line) => line.includes(link.searchParams.get('token')!))).toBe(false);
    expect(world.op.logs.some((line) => line.includes(newPassword))).toBe(false);
  });

  it('a newer request supersedes the older link', async () => {
    const since = world.mailbox.count();
    await requestReset('newbie-recover@example.com');
    const users = world.op.running.container.users;
    const user = await users.create({ id: crypto.randomUUID(), username: 'recoverer', email: 'recoverer@example.com', emailVerified: true, profile: {} });
    await requestReset(user.email!);
    const first = await world.mailbox.waitFor('recoverer@example.com', 'password-reset', { since });
    const mark = world.mailbox.count();
    await requestReset(user.email!);
    const second = await world.mailbox.waitFor('recoverer@example.com', 'password-reset', { since: mark });
    expect(second.data.link).not.toBe(first.data.link);
    const old = new URL(first.data.link!);
    expect((await page(new UserAgent(world.op.issuer), old.pathname + old.search)).status).toBe(400);
  });
});
