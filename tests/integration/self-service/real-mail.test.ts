/**
 * Sign-up and password reset with their emails delivered for real: use case → outbox → worker →
 * nodemailer → an SMTP server on loopback. Nothing stands between the provider and the wire; the
 * code and the link are read from the message as a person would read them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../../helpers/provider.js';
import { startSmtp, waitForMail, type TestSmtp } from '../../helpers/smtp.js';
import { page, post, signInToAccount } from './support.js';

let smtp: TestSmtp;
let op: TestProvider;

beforeAll(async () => {
  smtp = await startSmtp();
  op = await startTestProvider({
    env: { SIGNUP_ENABLED: 'true', SMTP_URL: smtp.url, EMAIL_FROM: 'Example ID <no-reply@id.example.com>', OUTBOX_POLL_INTERVAL: '1' },
  });
});
afterAll(async () => {
  await op?.stop();
  await smtp?.close();
});

describe('self-service email over real SMTP', () => {
  it('sign-up: the verification email arrives by SMTP, and the code in it verifies the address', async () => {
    const agent = new UserAgent(op.issuer);
    const { html } = await page(agent, '/account/register');
    const sent = await post(agent, html, '/account/register', { username: 'mailed', email: 'mailed@example.com', password: 'letters by the morning post' });
    expect(sent.url.pathname).toBe('/account/register/verify');

    const mail = await waitForMail(smtp, 'mailed@example.com');
    expect(mail).toMatch(/^Subject: Confirm your email address/m);
    expect(mail).toContain('text/html');
    const code = /enter this code: (\d{6})/.exec(mail)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(mail).toMatch(/\/account\/verify\?token=[\w-]+/);

    const verified = await post(agent, sent.html, '/account/register/verify', { code: code! });
    expect(verified.html).toContain('Your email address is verified');
    expect((await op.running.container.users.findByLogin('mailed'))?.emailVerified).toBe(true);
  });

  it('password reset: the single-use link arrives by SMTP and sets the new password', async () => {
    const agent = new UserAgent(op.issuer);
    const { html } = await page(agent, '/account/recover');
    await post(agent, html, '/account/recover', { email: TEST_USER.email });
    const mail = await waitForMail(smtp, TEST_USER.email);
    expect(mail).toMatch(/^Subject: Reset your .* password/m);
    const link = new URL(/(http:\/\/\S+\/account\/reset\?token=[\w-]+)/.exec(mail)![1]!);

    const form = await page(agent, link.pathname + link.search);
    const password = 'a reset that came by mail';
    const done = await post(agent, form.html, '/account/reset', { token: link.searchParams.get('token')!, password, confirm: password });
    expect(done.html).toContain('All your sessions were ended');
    await signInToAccount(new UserAgent(op.issuer), TEST_USER.username, password);
    // The delivery is on record with the provider's message id, and nothing of the link is in it.
    const rows = await op.running.container.database.knex('outbox_messages').where({ kind: 'email', status: 'delivered' }).select('*');
    expect(rows.length).toBe(2);
    expect(JSON.stringify(rows)).not.toContain(link.searchParams.get('token')!);
  });
});
