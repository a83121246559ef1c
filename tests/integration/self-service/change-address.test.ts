/**
 * "Check your email" names the address and offers "Use a different address": the sign-up form
 * again with the other answers kept (never the password), replacing the earlier sign-up. The
 * answers are the same whether the first address was free (an account was made, and is replaced)
 * or already had an account (nothing was made).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { TEST_USER } from '../../helpers/provider.js';
import { page, post, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

const PASSWORD = 'a quiet walk by the river';

/** A page with what differs between two runs of the same steps taken out: tokens, addresses, usernames. */
const shape = (html: string, ...words: string[]) =>
  [...words].sort((a, b) => b.length - a.length).reduce((out, word) => out.split(word).join('…'), html.replace(/value="[A-Za-z0-9_.-]{20,}"/g, 'value="…"'));

/** Signs up with `first`, follows "Use a different address", and signs up again with `second`. */
async function signUpThenChange(username: string, first: string, second: string) {
  const agent = new UserAgent(world.op.issuer);
  const since = world.mailbox.count();
  const form = await page(agent, '/account/register');
  const sent = await post(agent, form.html, '/account/register', { username, email: first, password: PASSWORD, phone: '+49 151 1111 2222' });
  expect(sent.url.pathname).toBe('/account/register/verify');
  // The first sign-up's task has run (its account made, or the owner of the address told).
  await world.mailbox.waitFor(first, first === TEST_USER.email ? 'account-exists' : 'verify-email', { since });
  expect(sent.html).toContain(`We sent a message to ${first}.`);
  expect(sent.html).toContain('href="/account/register/change"');
  expect(sent.html).toContain('Use a different address');

  const change = await page(agent, '/account/register/change');
  expect(change.status).toBe(200);
  const again = await post(agent, change.html, '/account/register', { username, email: second, password: PASSWORD, phone: '+49 151 1111 2222', replace: '1' });
  return { agent, sent, change, again, since };
}

describe('"Use a different address"', () => {
  it('shows the form again with the other answers but the password, and replaces the earlier sign-up', async () => {
    const { agent, change, again, since } = await signUpThenChange('changer', 'changer@exampel.com', 'changer@example.com');
    expect(change.html).toContain('Your other answers are kept; choose your password again.');
    expect(change.html).toContain('value="changer"');
    expect(change.html).toContain('value="changer@exampel.com"');
    expect(change.html).toContain('value="+49 151 1111 2222"');
    expect(change.html).toContain('<input type="hidden" name="replace" value="1">');
    expect(change.html).not.toContain(PASSWORD);
    expect(/<input id="password"[^>]*value=/.test(change.html)).toBe(false);

    expect(again.status).toBe(200);
    expect(again.url.pathname).toBe('/account/register/verify');
    expect(again.html).toContain('We sent a message to changer@example.com.');
    const message = await world.mailbox.waitFor('changer@example.com', 'verify-email', { since });
    const verified = await post(agent, again.html, '/account/register/verify', { code: message.data.code! });
    expect(verified.html).toContain('Your email address is verified');
    const users = world.op.running.container.users;
    expect(await users.findByLogin('changer')).toMatchObject({ email: 'changer@example.com', emailVerified: true, profile: { phone_number: '+4915111112222' } });
    expect(await users.findByLogin('changer@exampel.com')).toBeUndefined();
    // The code sent to the wrong address is for an account that no longer exists.
    const first = world.mailbox.messages().slice(since).find((m) => m.to === 'changer@exampel.com')!;
    const link = new URL(first.data.link!);
    expect((await page(new UserAgent(world.op.issuer), link.pathname + link.search)).status).toBe(400);
  });

  it('answers the same when the first address already had an account', async () => {
    const free = await signUpThenChange('same-a', 'same-a@exampel.com', 'same-a@example.com');
    const taken = await signUpThenChange('same-b', TEST_USER.email, 'same-b@example.com');
    for (const step of ['sent', 'change', 'again'] as const) {
      expect(taken[step].status).toBe(free[step].status);
      expect(taken[step].url.pathname).toBe(free[step].url.pathname);
      expect(shape(taken[step].html, 'same-b', TEST_USER.email, 'same-b@example.com')).toBe(shape(free[step].html, 'same-a', 'same-a@exampel.com', 'same-a@example.com'));
    }
    await world.mailbox.waitFor('same-b@example.com', 'verify-email', { since: taken.since });
    expect(await world.op.running.container.users.findByLogin('same-b')).toMatchObject({ email: 'same-b@example.com' });
  });

  it('replaces only the sign-up of this browser: `replace` without its cookie is an ordinary sign-up', async () => {
    const owner = new UserAgent(world.op.issuer);
    const since = world.mailbox.count();
    const form = await page(owner, '/account/register');
    await post(owner, form.html, '/account/register', { username: 'pending-owner', email: 'pending-owner@example.com', password: PASSWORD });
    await world.mailbox.waitFor('pending-owner@example.com', 'verify-email', { since });

    const stranger = new UserAgent(world.op.issuer);
    const strangerForm = await page(stranger, '/account/register');
    const refused = await post(stranger, strangerForm.html, '/account/register', { username: 'pending-owner', email: 'stranger@example.com', password: PASSWORD, replace: '1' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('This username is not available.');
    expect(await world.op.running.container.users.findByLogin('pending-owner')).toMatchObject({ email: 'pending-owner@example.com' });
    // Without a sign-up in progress, the change page is the empty form.
    const { url } = await page(stranger, '/account/register/change');
    expect(url.pathname).toBe('/account/register');
  });
});
