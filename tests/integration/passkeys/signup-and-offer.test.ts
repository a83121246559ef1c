/**
 * Sign-up with a passkey and no password, and the passkey offer after a password sign-in, over
 * HTTP with a software authenticator (its origin the issuer's): the sign-up answers a taken email
 * exactly as a new one and creates nothing for it; the passkey follows the email verification;
 * "Not now" is remembered; an account with a passkey is not asked; a bad response never blocks
 * the sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, UserAgent } from '../../helpers/browser.js';
import { TEST_USER } from '../../helpers/provider.js';
import { SoftwareAuthenticator } from '../../helpers/software-authenticator.js';
import { page, post, startWorld, type SelfServiceWorld } from '../self-service/support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld({ PASSKEY_OFFER_ENABLED: 'true' });
});
afterAll(async () => {
  await world?.stop();
});

const authenticator = () => new SoftwareAuthenticator({ origin: new URL(world.op.issuer).origin, rpId: new URL(world.op.issuer).hostname });
const knex = () => world.op.running.container.database.knex;
const passkeysOf = async (userId: string) => knex()('passkeys').where({ user_id: userId });

/** POSTs the options endpoint of a page (its CSRF token) and @returns status and JSON. */
async function options(agent: UserAgent, html: string, path: string) {
  const { response } = await agent.submit(path, { csrf: csrfOf(html), for: 'login' });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const comparable = (html: string, typed: string) => html.replace(/name="csrf" value="[^"]+"/g, '').replaceAll(typed, 'TYPED');

describe('sign-up with a passkey', () => {
  it('creates the account without a password; the passkey follows the email verification', async () => {
    const agent = new UserAgent(world.op.issuer);
    const form = await page(agent, '/account/register');
    expect(form.html).toContain('Sign up with a passkey');
    const since = world.mailbox.count();
    const sent = await post(agent, form.html, '/account/register', { username: 'keyholder', email: 'keyholder@example.com', method: 'passkey' });
    expect(sent.status).toBe(200);
    expect(sent.url.pathname).toBe('/account/register/verify');
    const message = await world.mailbox.waitFor('keyholder@example.com', 'verify-email', { since });
    const user = await world.op.running.container.users.findByLogin('keyholder');
    expect(user).toBeDefined();
    expect(await knex()('credentials').where({ user_id: user!.id, type: 'password' })).toHaveLength(0);
    // Before the email is verified there is no passkey step.
    expect((await page(agent, '/account/register/passkey')).url.pathname).toBe('/account/register');

    const verified = await post(agent, sent.html, '/account/register/verify', { code: message.data.code! });
    expect(verified.url.pathname).toBe('/account/register/passkey');
    expect(verified.html).toContain('Create your passkey');

    // A response that is not JSON: refused with the page again, nothing stored.
    const garbage = await post(agent, verified.html, '/account/register/passkey', { response: '{not json' });
    expect(garbage.status).toBe(400);
    expect(garbage.html).toContain('Create your passkey');
    const key = authenticator();
    const ceremony = await options(agent, garbage.html, '/account/register/passkey/options');
    expect(ceremony.status).toBe(200);
    expect(ceremony.json.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect((ceremony.json.user as { id: string }).id).toBeTruthy();
    const done = await post(agent, garbage.html, '/account/register/passkey', { response: JSON.stringify(key.register(ceremony.json)) });
    expect(done.status, done.html.slice(0, 300)).toBe(200);
    expect(done.html).toContain('Your passkey is ready');
    expect(await passkeysOf(user!.id)).toHaveLength(1);

    // The sign-up cookie is spent: no second passkey through it.
    const again = await options(agent, form.html, '/account/register/passkey/options');
    expect(again.status).toBe(409);
  });

  it('answers a taken email exactly as a new one, and creates nothing for it', async () => {
    const taken = new UserAgent(world.op.issuer);
    const fresh = new UserAgent(world.op.issuer);
    const since = world.mailbox.count();
    const a = await post(taken, (await page(taken, '/account/register')).html, '/account/register', { username: 'taken-key', email: TEST_USER.email, method: 'passkey' });
    const b = await post(fresh, (await page(fresh, '/account/register')).html, '/account/register', { username: 'fresh-key', email: 'fresh-key@example.com', method: 'passkey' });
    expect(a.status).toBe(b.status);
    expect(a.url.pathname).toBe(b.url.pathname);
    expect(comparable(a.html, TEST_USER.email)).toBe(comparable(b.html, 'fresh-key@example.com'));
    await world.mailbox.waitFor(TEST_USER.email, 'account-exists', { since });
    expect(await world.op.running.container.users.findByLogin('taken-key')).toBeUndefined();
    // No passkey step for the taken address: its account id never existed.
    expect((await page(taken, '/account/register/passkey')).url.pathname).toBe('/account/register');
    expect((await options(taken, a.html, '/account/register/passkey/options')).status).toBe(409);
  });

  it('still asks for a password on the password form', async () => {
    const agent = new UserAgent(world.op.issuer);
    const form = await page(agent, '/account/register');
    const missing = await post(agent, form.html, '/account/register', { username: 'nopass', email: 'nopass@example.com' });
    expect(missing.status).toBe(400);
    const short = await post(agent, form.html, '/account/register', { username: 'nopass', email: 'nopass@example.com', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.html).toContain('Use at least 12 characters.');
  });
});

/** Signs in to /account with a password. @returns where the browser landed. */
async function passwordSignIn(agent: UserAgent, login: string, password: string) {
  const start = await page(agent, '/account');
  const action = start.html.match(/action="(\/interaction\/[^"]+\/login)"/)![1]!;
  return post(agent, start.html, action, { login, password });
}

async function newAccount(username: string) {
  const password = 'a quiet walk by the river';
  const agent = new UserAgent(world.op.issuer);
  const since = world.mailbox.count();
  const sent = await post(agent, (await page(agent, '/account/register')).html, '/account/register', { username, email: `${username}@example.com`, password });
  const message = await world.mailbox.waitFor(`${username}@example.com`, 'verify-email', { since });
  await post(agent, sent.html, '/account/register/verify', { code: message.data.code! });
  const user = await world.op.running.container.users.findByLogin(username);
  return { password, userId: user!.id };
}

describe('passkey offer after a password sign-in', () => {
  it('"Not now" finishes the sign-in and is not asked again', async () => {
    const { password, userId } = await newAccount('offered');
    const first = await passwordSignIn(new UserAgent(world.op.issuer), 'offered', password);
    const agent = new UserAgent(world.op.issuer);
    const shown = await passwordSignIn(agent, 'offered', password);
    expect(first.url.pathname).toMatch(/\/passkey-offer$/);
    expect(shown.url.pathname).toMatch(/^\/interaction\/[^/]+\/passkey-offer$/);
    expect(shown.html).toContain('Not now');
    const skip = shown.html.match(/action="(\/interaction\/[^"]+\/passkey-offer\/skip)"/)![1]!;
    const skipped = await post(agent, shown.html, skip, {});
    expect(skipped.url.pathname).toBe('/account');
    expect(await knex()('passkey_offers').where({ user_id: userId })).toHaveLength(1);
    const later = await passwordSignIn(new UserAgent(world.op.issuer), 'offered', password);
    expect(later.url.pathname).toBe('/account');
  });

  it('"Create passkey" stores it and finishes the sign-in; an account with a passkey is not offered one', async () => {
    const { password, userId } = await newAccount('creator');
    const agent = new UserAgent(world.op.issuer);
    const shown = await passwordSignIn(agent, 'creator', password);
    const create = shown.html.match(/action="(\/interaction\/[^"]+\/passkey-offer)"/)![1]!;
    // A bad response never blocks: the offer again, "Not now" still there.
    const bad = await post(agent, shown.html, create, { response: JSON.stringify({ id: 'x', response: {} }) });
    expect(bad.status).toBe(401);
    expect(bad.html).toContain('Not now');
    const ceremony = await options(agent, bad.html, `${create}/options`);
    expect(ceremony.status).toBe(200);
    const created = await post(agent, bad.html, create, { response: JSON.stringify(authenticator().register(ceremony.json)) });
    expect(created.url.pathname).toBe('/account');
    expect(await passkeysOf(userId)).toHaveLength(1);
    expect(await knex()('passkey_offers').where({ user_id: userId })).toHaveLength(0);
    // The next password sign-in is not offered one again (the passkey is now its second factor).
    const later = await passwordSignIn(new UserAgent(world.op.issuer), 'creator', password);
    expect(later.url.pathname).toMatch(/^\/interaction\/[^/]+\/mfa$/);
  });

  it('refuses the offer steps without the waiting sign-in of this browser', async () => {
    const { password } = await newAccount('stranger');
    const owner = new UserAgent(world.op.issuer);
    const shown = await passwordSignIn(owner, 'stranger', password);
    const skip = shown.html.match(/action="(\/interaction\/[^"]+\/passkey-offer\/skip)"/)![1]!;
    // Another browser (no interaction, no offer cookie) gets nowhere.
    const other = new UserAgent(world.op.issuer);
    const form = await page(other, '/account');
    const { response } = await other.submit(skip, { csrf: csrfOf(form.html) });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(new URL(response.url).pathname).not.toBe('/account');
  });
});
