/**
 * SMS codes (sent through the outbox and the real Twilio SDK to a local stand-in), step-up through acr_values, trusted
 * devices (skip the factor until revoked, never for step-up), select_account, and the global
 * MFA switch — over real HTTP, with openid-client as the relying party.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_MFA, ACR_PASSWORD } from '../../../server/modules/auth/index.js';
import { BOB, CAROL, MFA_CLIENT, mfaSeed, nextTotp, smsCode, smsTo, twilioEnv } from '../../helpers/mfa.js';
import { startTwilioStandIn, type TwilioStandIn } from '../../helpers/twilio-stand-in.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { discover } from '../../helpers/rp.js';
import { actionOf, Flow, secretOf, type RpConfig } from './flow.js';

/**
 * A short SMS_RESEND_INTERVAL (30 s in production): the "asked again at once" check is the very
 * next request, so this only has to outlast one request on a busy machine.
 */
const RESEND_SECONDS = 5;

let op: TestProvider;
let twilio: TwilioStandIn;
let bank: RpConfig;
let web: RpConfig;

beforeAll(async () => {
  twilio = await startTwilioStandIn();
  op = await startTestProvider({ seed: mfaSeed(), env: { ...twilioEnv(twilio), SMS_RESEND_INTERVAL: String(RESEND_SECONDS) } });
  bank = await discover(op.issuer, MFA_CLIENT.client_id, MFA_CLIENT.client_secret);
  web = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const { users } = op.running.container;
  const carol = (await users.findByLogin(CAROL.username))!;
  // Phone verification belongs to the self-service pages; here the number is simply marked verified.
  await users.update(carol.id, { profile: { ...carol.profile, phone_number_verified: true } });
});
afterAll(async () => {
  await op?.stop();
  await twilio?.close();
});

describe('SMS codes', () => {
  it('shows one method at a time; ?method= picks only a method the account has, whatever is sent', async () => {
    const flow = new Flow(op, bank, MFA_CLIENT.redirect_uri);
    await flow.start();
    const challenge = await flow.submit('/login', { login: CAROL.username, password: CAROL.password });
    // Before a code is sent the page's only form asks for one: its action names the page.
    const mfaPage = actionOf(challenge.html, '/mfa/sms').replace(/\/sms$/, '');
    for (const query of ['?method=totp', '?method=recovery%00', '?method=a&method=b', '?method[]=sms', `?method=${'x'.repeat(5000)}`, '?method=%ED%A0%80']) {
      const { response } = await flow.agent.follow(`${mfaPage}${query}`);
      const html = await response.text();
      expect({ query, status: response.status }).toEqual({ query, status: 200 });
      // Carol has only the text message: no other form, no "use another method" list.
      expect(html).toContain('Text me a code');
      expect(html).not.toContain('name="method" value="totp"');
      expect(html).not.toContain('id="others-heading"');
    }
  });

  it('sends a code to the verified phone on request and signs in with it (amr pwd sms mfa)', async () => {
    const flow = new Flow(op, bank, MFA_CLIENT.redirect_uri);
    await flow.start();
    const challenge = await flow.submit('/login', { login: CAROL.username, password: CAROL.password });
    expect(challenge.html).toContain('We will text a 6-digit code to +49*******5678.');
    expect(challenge.html).toContain('Text me a code');
    expect(challenge.html).not.toContain('Code from your authenticator app');
    const before = smsTo(twilio, CAROL.phone).length;
    const sent = await flow.submit('/mfa/sms', {});
    expect(sent.html).toContain('We sent a code to +49*******5678');
    // Asking again at once (well within SMS_RESEND_INTERVAL) is refused (cost and harassment), and sends nothing.
    const tooSoon = await flow.submit('/mfa/sms', {});
    expect(tooSoon.status).toBe(429);
    const queued = await op.running.container.database.knex('outbox_messages').where({ kind: 'sms' }).count<{ count: string }[]>({ count: '*' });
    expect(Number(queued[0]!.count)).toBe(before + 1);
    const code = await smsCode(twilio, CAROL.phone, before + 1);
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await flow.submit('/mfa', { method: 'sms', code: code === '123456' ? '654321' : '123456' });
    expect(wrong.status).toBe(401);
    expect(wrong.html).toContain('id="sms-error"');

    await flow.submit('/mfa', { method: 'sms', code });
    const { claims } = await flow.tokens();
    expect(claims.amr).toEqual(['pwd', 'sms', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
  });

  it('stores only a keyed hash of the code, and a used code does not work again', async () => {
    const rows = await op.running.container.database.knex('mfa_sms_challenges').select('code_hash', 'consumed_at');
    const code = await smsCode(twilio, CAROL.phone, 1);
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(rows.some((r) => r.consumed_at !== null)).toBe(true);
  });

  it('sends the German template when the client asks ui_locales=de', async () => {
    const flow = new Flow(op, bank, MFA_CLIENT.redirect_uri);
    const login = await flow.start({ ui_locales: 'de' });
    expect(login.html).toContain('<html lang="de">');
    expect(login.html).toContain('Benutzername oder E-Mail-Adresse');
    const challenge = await flow.submit('/login', { login: CAROL.username, password: CAROL.password });
    expect(challenge.html).toContain('Code per SMS senden');
    // The resend interval of the previous test may still run; either way the page is German.
    await new Promise((resolve) => setTimeout(resolve, RESEND_SECONDS * 1000 + 500));
    const before = smsTo(twilio, CAROL.phone).length;
    await flow.submit('/mfa/sms', {});
    await smsCode(twilio, CAROL.phone, before + 1);
    expect(smsTo(twilio, CAROL.phone).at(-1)!.body).toMatch(/ist Ihr Anmeldecode/);
    expect(smsTo(twilio, CAROL.phone).at(-1)!.body).not.toMatch(/is your/);
  });
});

// select_account first: later tests give alice a second factor.
describe('select_account, step-up and trusted devices', () => {
  let secret: string;

  it('offers "continue as" or "use another account" for prompt=select_account', async () => {
    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await flow.start({ login_hint: TEST_USER.email });
    expect(flow.page.html).toContain(`value="${TEST_USER.email}"`);
    await flow.submit('/login', { login: TEST_USER.username, password: TEST_USER.password });
    const first = await flow.tokens();

    const select = new Flow(op, web, WEB_CLIENT.redirect_uri, flow.agent);
    const page = await select.start({ prompt: 'select_account' });
    expect(page.html).toContain(`Continue as ${TEST_USER.username}`);
    await select.submit('/select-account', { choice: 'continue' });
    expect((await select.tokens()).claims.sub).toBe(first.claims.sub);

    const other = new Flow(op, web, WEB_CLIENT.redirect_uri, flow.agent);
    await other.start({ prompt: 'select_account' });
    const login = await other.submit('/select-account', { choice: 'switch' });
    expect(login.html).toContain('name="password"');
    await other.submit('/login', { login: CAROL.username, password: CAROL.password });
    const carol = await other.tokens();
    expect(carol.claims.sub).not.toBe(first.claims.sub);
  });

  it('asks a signed-in user again when the client requests the MFA acr, and the ID token then carries it', async () => {
    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await flow.start();
    await flow.submit('/login', { login: TEST_USER.username, password: TEST_USER.password });
    expect((await flow.tokens()).claims.acr).toBe(ACR_PASSWORD);

    // Same browser (session), now with acr_values: the policy's step-up check sends it back through login.
    const stepUp = new Flow(op, web, WEB_CLIENT.redirect_uri, flow.agent);
    const login = await stepUp.start({ acr_values: ACR_MFA });
    expect(login.html).toContain('name="password"');
    expect(login.html).toContain('asks you to confirm your identity with a second factor');
    expect(login.html).toContain(`value="${TEST_USER.username}"`);
    const enrol = await stepUp.submit('/login', { login: TEST_USER.username, password: TEST_USER.password });
    expect(enrol.html).toContain('Set up two-step verification');
    secret = secretOf(enrol.html);
    await stepUp.submit('/mfa/enrol', { code: await nextTotp(secret) });
    await stepUp.submit('/mfa/done', {});
    const { claims } = await stepUp.tokens();
    expect(claims.acr).toBe(ACR_MFA);
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);

    // A password-only session is not carried into a client that requires MFA by single sign-on.
    const carol = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await carol.start();
    await carol.submit('/login', { login: CAROL.username, password: CAROL.password });
    expect((await carol.tokens()).claims.acr).toBe(ACR_PASSWORD);
    const intoBank = new Flow(op, bank, MFA_CLIENT.redirect_uri, carol.agent);
    const asked = await intoBank.start();
    expect(asked.callback).toBeUndefined();
    expect(asked.html).toContain('name="password"');

    // The session now meets the MFA acr: no prompt at all.
    const again = new Flow(op, web, WEB_CLIENT.redirect_uri, flow.agent);
    await again.start({ acr_values: ACR_MFA });
    expect((await again.tokens()).claims.acr).toBe(ACR_MFA);
  }, 90_000);

  it('skips the factor on a trusted device until the device is revoked; never for step-up', async () => {
    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await flow.start();
    await flow.submit('/login', { login: BOB.username, password: BOB.password });
    // Bob has no factor in this provider: he enrols here (bank client requires it) — use the bank client.
    const bankFlow = new Flow(op, bank, MFA_CLIENT.redirect_uri, flow.agent);
    await bankFlow.start({ prompt: 'login' });
    const enrol = await bankFlow.submit('/login', { login: BOB.username, password: BOB.password });
    const bobSecret = secretOf(enrol.html);
    await bankFlow.submit('/mfa/enrol', { code: await nextTotp(bobSecret) });
    await bankFlow.submit('/mfa/done', { trust: 'yes' });
    await bankFlow.tokens();
    const cookie = flow.agent.jar.header(new URL(`${op.issuer}/interaction/x`));
    expect(cookie).toContain('trusted_device=');

    const trusted = new Flow(op, bank, MFA_CLIENT.redirect_uri, flow.agent);
    await trusted.start({ prompt: 'login' });
    await trusted.submit('/login', { login: BOB.username, password: BOB.password });
    const { claims } = await trusted.tokens();
    expect(claims.amr).toEqual(['pwd']);

    const stepUp = new Flow(op, bank, MFA_CLIENT.redirect_uri, flow.agent);
    await stepUp.start({ prompt: 'login', acr_values: ACR_MFA });
    const challenge = await stepUp.submit('/login', { login: BOB.username, password: BOB.password });
    expect(challenge.html).toContain('Code from your authenticator app');

    const { mfa, users } = op.running.container;
    const bob = (await users.findByLogin(BOB.username))!;
    const [device] = await mfa.listTrustedDevices(bob.id);
    expect(device?.label).toBeDefined();
    expect(await mfa.revokeTrustedDevice(bob.id, device!.id)).toBe(true);
    const revoked = new Flow(op, bank, MFA_CLIENT.redirect_uri, flow.agent);
    await revoked.start({ prompt: 'login' });
    const asked = await revoked.submit('/login', { login: BOB.username, password: BOB.password });
    expect(asked.html).toContain('Code from your authenticator app');
  }, 90_000);

});

describe('MFA switched off', () => {
  it('asks no second factor even at a client that requires one', async () => {
    await op.restart({ MFA_ENABLED: 'false' });
    try {
      const flow = new Flow(op, bank, MFA_CLIENT.redirect_uri);
      await flow.start({ acr_values: ACR_MFA });
      await flow.submit('/login', { login: BOB.username, password: BOB.password });
      const { claims } = await flow.tokens();
      expect(claims.amr).toEqual(['pwd']);
      expect(claims.acr).toBe(ACR_PASSWORD);
    } finally {
      await op.restart();
    }
  });
});
