import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { TEST_USER } from '../../helpers/provider.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  // Eight codes per IP in this file: the tests below type three before the last one spends the rest.
  world = await startWorld({ SELF_SERVICE_CODE_LIMIT: '8' });
});
afterAll(async () => {
  await world?.stop();
});

const form = (over: Record<string, string> = {}) => ({ username: 'newbie', email: 'newbie@example.com', password: 'a quiet walk by the river', ...over });

describe('sign-up', () => {
  it('refuses passwords under the policy and tells which rule, translated', async () => {
    const agent = new UserAgent(world.op.issuer);
    const { html } = await page(agent, '/account/register');
    const short = await post(agent, html, '/account/register', form({ password: 'short' }));
    expect(short.status).toBe(400);
    expect(short.html).toContain('Use at least 12 characters.');
    const common = await post(agent, short.html, '/account/register', form({ password: 'passwordpassword' }));
    expect(common.html).toContain('known from data breaches');
    const same = await post(agent, common.html, '/account/register', form({ username: 'quietwalker12', password: 'quietwalker12' }));
    expect(same.html).toContain('Do not use your username or email');
    // Without this browser's CSRF token: refused, with a page (not JSON) for the browser.
    const forged = await agent.submit('/account/register', { csrf: '' });
    expect(forged.response.status).toBe(403);
    expect(forged.response.headers.get('content-type')).toContain('text/html');
  });

  it('creates the account, sends link and code; the code verifies once', async () => {
    const agent = new UserAgent(world.op.issuer);
    const { html } = await page(agent, '/account/register');
    const since = world.mailbox.count();
    const sent = await post(agent, html, '/account/register', form());
    expect(sent.status).toBe(200);
    expect(sent.url.pathname).toBe('/account/register/verify');
    const message = await world.mailbox.waitFor('newbie@example.com', 'verify-email', { since });
    expect(message.data.code).toMatch(/^\d{6}$/);
    expect(message.data.link).toContain('/account/verify?token=');
    const wrong = await post(agent, sent.html, '/account/register/verify', { code: message.data.code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('That code is not right');
    const right = await post(agent, wrong.html, '/account/register/verify', { code: message.data.code! });
    expect(right.status).toBe(200);
    expect(right.html).toContain('Your email address is verified');
    const user = await world.op.running.container.users.findByLogin('newbie');
    expect(user?.emailVerified).toBe(true);
    // The link of the same flow is spent now.
    const linkUrl = new URL(message.data.link!);
    const link = await page(new UserAgent(world.op.issuer), linkUrl.pathname + linkUrl.search);
    expect(link.status).toBe(400);
    // And the new account signs in.
    await signInToAccount(new UserAgent(world.op.issuer), 'newbie', form().password);
  });

  it('does not reveal a registered email: same page, a notice to the owner instead', async () => {
    const agent = new UserAgent(world.op.issuer);
    const { html } = await page(agent, '/account/register');
    const since = world.mailbox.count();
    const sent = await post(agent, html, '/account/register', form({ username: 'someone-else', email: TEST_USER.email.toUpperCase() }));
    expect(sent.status).toBe(200);
    expect(sent.url.pathname).toBe('/account/register/verify');
    const notice = await world.mailbox.waitFor(TEST_USER.email, 'account-exists', { since });
    expect(notice.data.username).toBe(TEST_USER.username);
    expect(world.mailbox.messages().slice(since).some((m) => m.template === 'verify-email')).toBe(false);
    expect(await world.op.running.container.users.findByLogin('someone-else')).toBeUndefined();
    const code = await post(agent, sent.html, '/account/register/verify', { code: '123456' });
    expect(code.html).toContain('That code is not right');
  });

  it('verifies by link in any browser', async () => {
    const agent = new UserAgent(world.op.issuer);
    const { html } = await page(agent, '/account/register');
    const since = world.mailbox.count();
    await post(agent, html, '/account/register', form({ username: 'linker', email: 'linker@example.com' }));
    const message = await world.mailbox.waitFor('linker@example.com', 'verify-email', { since });
    const link = new URL(message.data.link!);
    const opened = await page(new UserAgent(world.op.issuer), link.pathname + link.search);
    expect(opened.status).toBe(200);
    expect(opened.html).toContain('Your email address is verified');
    expect((await world.op.running.container.users.findByLogin('linker'))?.emailVerified).toBe(true);
    const again = await page(new UserAgent(world.op.issuer), link.pathname + link.search);
    expect(again.status).toBe(400);
  });

  it('locks a flow after five wrong codes, then throttles the IP', async () => {
    const agent = new UserAgent(world.op.issuer);
    const { html } = await page(agent, '/account/register');
    const since = world.mailbox.count();
    const sent = await post(agent, html, '/account/register', form({ username: 'guesser', email: 'guesser@example.com' }));
    const { data } = await world.mailbox.waitFor('guesser@example.com', 'verify-email', { since });
    const wrongCode = data.code === '000000' ? '000001' : '000000';
    const statuses: number[] = [];
    let last = sent.html;
    for (let i = 0; i < 5; i += 1) {
      const attempt = await post(agent, last, '/account/register/verify', { code: wrongCode });
      statuses.push(attempt.status);
      last = attempt.html;
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    expect(last).toContain('tried too often');
    const right = await post(agent, last, '/account/register/verify', { code: data.code! });
    expect(right.status).toBe(429);
    expect(right.html).toContain('Too many attempts');
    expect((await world.op.running.container.users.findByLogin('guesser'))?.emailVerified).toBe(false);
  });
});
