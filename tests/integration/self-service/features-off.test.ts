/**
 * Features that send messages can be switched off (what production does without their channel,
 * config/channels.ts): their links, forms and routes are gone, and nothing is sent for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest } from '../../helpers/rp.js';
import { webClient } from '../protocol/support.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld({
    PASSWORD_RECOVERY_ENABLED: 'false',
    EMAIL_VERIFICATION_ENABLED: 'false',
    NEW_DEVICE_EMAIL_ENABLED: 'false',
    PHONE_VERIFICATION_ENABLED: 'false',
  });
});
afterAll(async () => {
  await world?.stop();
});

describe('message features switched off', () => {
  it('the sign-in page has no recovery link and the recovery pages do not exist', async () => {
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    const login = await page(new UserAgent(world.op.issuer), request.url.toString());
    expect(login.html).toContain('name="password"');
    expect(login.html).not.toContain('/account/recover');
    expect(login.html).toContain('/account/register?interaction=');
    expect((await page(new UserAgent(world.op.issuer), '/account/recover')).status).toBe(404);
    expect((await page(new UserAgent(world.op.issuer), '/account/reset?token=x')).status).toBe(404);
  });

  it('/account shows the email without verification or change forms and no phone section; their routes answer 404', async () => {
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, TEST_USER.username, TEST_USER.password);
    expect(html).toContain(TEST_USER.email);
    expect(html).toContain('action="/account/password"');
    for (const action of ['/account/email', '/account/email/confirm', '/account/email/resend', '/account/phone', '/account/phone/verify']) {
      expect(html).not.toContain(`action="${action}"`);
    }
    expect(html).not.toContain('id="phone"');
    const since = world.mailbox.count();
    expect((await post(agent, html, '/account/phone', { phone: '+15005550006' })).status).toBe(404);
    expect((await post(agent, html, '/account/email', { email: 'new@example.com' })).status).toBe(404);
    expect((await post(agent, html, '/account/email/resend', {})).status).toBe(404);
    expect(world.mailbox.messages().slice(since)).toEqual([]);
  });

  it('the sign-up form asks for no phone number and ignores one posted', async () => {
    const agent = new UserAgent(world.op.issuer);
    const form = await page(agent, '/account/register');
    expect(form.html).toContain('name="username"');
    expect(form.html).not.toContain('name="phone"');
    const since = world.mailbox.count();
    await post(agent, form.html, '/account/register', { username: 'nophone', email: 'nophone@example.com', password: 'a long enough password here', phone: '+15005550006' });
    await world.mailbox.waitFor('nophone@example.com', 'verify-email', { since });
    const user = await world.op.running.container.users.findByLogin('nophone');
    expect(user?.profile.phone_number).toBeUndefined();
  });

  it('keeps no device cookie, so no sign-in is news', async () => {
    const config = await webClient(world.op);
    const agent = new UserAgent(world.op.issuer);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    await authorize(agent, request.url, { login: TEST_USER.username, password: TEST_USER.password });
    const cookies = agent.jar.header(new URL(world.op.issuer)) ?? '';
    expect(cookies).toContain('_session=');
    expect(cookies).not.toContain('device_id=');
  });
});
