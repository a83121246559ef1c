/**
 * The sign-in pages in Chromium (playwright-core, Debian's /usr/bin/chromium): login, TOTP
 * enrolment and TOTP sign-in (codes computed with otplib), SMS code (read from the messages the
 * notifier received), recovery code, trusted device, step-up via acr_values, select_account,
 * consent allow and deny, lockout, German pages and sign-out. No CSP violation anywhere; a
 * screenshot of each page goes to test-results/screenshots/.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ACR_MFA } from '../../server/modules/auth/index.js';
import { checkPage, chromiumPath, describeInChromium, hasChromium, launchChromium } from '../helpers/chromium.js';
import { BOB, CAROL, MFA_CLIENT, mfaSeed, nextTotp, smsCode, smsTo, twilioEnv } from '../helpers/mfa.js';
import { startTwilioStandIn, type TwilioStandIn } from '../helpers/twilio-stand-in.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../helpers/provider.js';
import { authorizationRequest, client, discover } from '../helpers/rp.js';

let op: TestProvider;
let twilio: TwilioStandIn;
let browser: Browser;
const cspViolations: string[] = [];

beforeAll(async () => {
  if (!hasChromium) return;
  twilio = await startTwilioStandIn();
  op = await startTestProvider({ seed: mfaSeed(), env: { TRUST_PROXY: 'true', ...twilioEnv(twilio) } });
  const { users } = op.running.container;
  const carol = (await users.findByLogin(CAROL.username))!;
  await users.update(carol.id, { profile: { ...carol.profile, phone_number_verified: true } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
  await twilio?.close();
});

interface Rp {
  id: string;
  secret: string;
  redirect: string;
}
const WEB: Rp = { id: WEB_CLIENT.client_id, secret: WEB_CLIENT.client_secret, redirect: WEB_CLIENT.redirect_uri };
const BANK: Rp = { id: MFA_CLIENT.client_id, secret: MFA_CLIENT.client_secret, redirect: MFA_CLIENT.redirect_uri };

/** A browser tab whose client callbacks are caught; @returns helpers to start a request and finish it with openid-client. */
async function tab(context?: BrowserContext) {
  const ctx = context ?? (await browser.newContext({ extraHTTPHeaders: { 'accept-language': 'en' } }));
  const page = await ctx.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
  });
  let landed: URL | undefined;
  for (const origin of [new URL(WEB.redirect).origin, new URL(BANK.redirect).origin]) {
    await page.route(`${origin}/**`, async (route) => {
      landed = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
    });
  }
  return {
    page,
    context: ctx,
    async open(rp: Rp, params: Record<string, string> = {}) {
      landed = undefined;
      const config = await discover(op.issuer, rp.id, rp.secret);
      const request = await authorizationRequest(config, { redirect_uri: rp.redirect, scope: 'openid email', ...params });
      await page.goto(request.url.toString());
      return {
        /** Waits for the client callback (allowing consent if asked) and @returns the ID token claims. */
        async finish(options: { consent?: boolean } = {}) {
          if (options.consent) {
            await page.getByRole('button', { name: 'Allow' }).click();
          }
          await page.waitForURL((u) => u.origin === new URL(rp.redirect).origin);
          const tokens = await client.authorizationCodeGrant(config, landed!, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
          return tokens.claims()!;
        },
        callback: () => landed,
      };
    },
  };
}

async function signInWithPassword(page: Page, login: string, password: string) {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describeInChromium(`MFA sign-in pages in Chromium (${chromiumPath})`, () => {
  let bobSecret = '';
  let bobCodes: string[] = [];

  it('enrols TOTP during sign-in (QR code and key), shows recovery codes once, then consents', async () => {
    const { page, open } = await tab();
    const flow = await open(BANK);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkPage(page, 'mfa-login');
    await signInWithPassword(page, BOB.username, BOB.password);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    const qr = page.getByRole('img', { name: 'QR code for setting up the authenticator app' });
    expect(await qr.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(true);
    bobSecret = (await page.locator('code.secret').textContent())!.replace(/\s/g, '');
    await checkPage(page, 'mfa-enrol');

    await page.getByLabel('Type the 6-digit code the app shows to finish.').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('That code is not valid.');
    await expect(page.getByLabel('Type the 6-digit code the app shows to finish.').getAttribute('aria-describedby')).resolves.toBe('enrol-error');
    await checkPage(page, 'mfa-enrol-error');
    await page.getByLabel('Type the 6-digit code the app shows to finish.').fill(await nextTotp(bobSecret));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();

    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    bobCodes = await page.locator('ul.codes code').allTextContents();
    expect(bobCodes).toHaveLength(10);
    await checkPage(page, 'mfa-recovery-codes');
    await page.getByRole('button', { name: 'I saved my codes, continue' }).click();
    await page.getByRole('heading', { name: /Authorize Bank App/ }).waitFor();
    await checkPage(page, 'consent');
    const claims = await flow.finish({ consent: true });
    expect(claims.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(claims.acr).toBe(ACR_MFA);
    await page.context().close();
  }, 120_000);

  it('signs in with a TOTP code, trusts the device, and is not asked again on it', async () => {
    const { page, open, context } = await tab();
    const flow = await open(WEB);
    await signInWithPassword(page, BOB.username, BOB.password);
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await checkPage(page, 'mfa-challenge');
    await expect(page.getByRole('button', { name: 'Verify' }).count()).resolves.toBe(1);
    await expect(page.getByRole('list', { name: 'Use another method' }).getByRole('link').allTextContents()).resolves.toEqual(['A recovery code']);
    await page.getByLabel('Code from your authenticator app').fill(await nextTotp(bobSecret));
    await page.locator('#trust-totp').check();
    await page.locator('form:has(#totp-code)').getByRole('button', { name: 'Verify' }).click();
    expect((await flow.finish({ consent: true })).amr).toEqual(['pwd', 'otp', 'mfa']);
    const cookie = (await context.cookies()).find((c) => c.name === 'trusted_device');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    const again = await open(WEB, { prompt: 'login' });
    await signInWithPassword(page, BOB.username, BOB.password);
    expect((await again.finish()).amr).toEqual(['pwd']);

    // Step-up ignores the trusted device: the client asked for MFA explicitly.
    const stepUp = await open(WEB, { prompt: 'login', acr_values: ACR_MFA });
    await page.getByText('asks you to confirm your identity with a second factor').waitFor();
    await checkPage(page, 'mfa-step-up-login');
    await signInWithPassword(page, BOB.username, BOB.password);
    await page.getByLabel('Code from your authenticator app').fill(await nextTotp(bobSecret));
    await page.locator('form:has(#totp-code)').getByRole('button', { name: 'Verify' }).click();
    expect((await stepUp.finish()).acr).toBe(ACR_MFA);
    await context.close();
  }, 120_000);

  it('signs in with a recovery code, submitted with the Enter key', async () => {
    const { page, open, context } = await tab();
    // prompt=consent: Bob's consent to the web app is remembered from the previous browser.
    const flow = await open(WEB, { prompt: 'consent' });
    await signInWithPassword(page, BOB.username, BOB.password);
    // One method at a time: the others are links under "use another method".
    await expect(page.locator('form input[name=method]').count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'A recovery code' }).click();
    await page.getByLabel('Recovery code').fill(bobCodes[0]!);
    await checkPage(page, 'mfa-recovery-code');
    await page.getByLabel('Recovery code').press('Enter');
    expect((await flow.finish({ consent: true })).amr).toEqual(['pwd', 'otp', 'mfa']);
    await context.close();
  }, 120_000);

  it('sends an SMS code to the verified phone and signs in with it', async () => {
    const { page, open, context } = await tab();
    const flow = await open(BANK);
    await signInWithPassword(page, CAROL.username, CAROL.password);
    const before = smsTo(twilio, CAROL.phone).length;
    await page.getByRole('button', { name: /Text me a code/ }).click();
    await page.getByText('We sent a code to +49*******5678').waitFor();
    await checkPage(page, 'mfa-sms');
    await page.getByLabel('Code from the text message').fill(await smsCode(twilio, CAROL.phone, before + 1));
    await page.locator('form:has(#sms-code)').getByRole('button', { name: 'Verify' }).click();
    expect((await flow.finish({ consent: true })).amr).toEqual(['pwd', 'sms', 'mfa']);
    await context.close();
  });

  it('offers "continue as" and "use another account" for prompt=select_account, and consent can be denied', async () => {
    const { page, open, context } = await tab();
    const first = await open(WEB, { login_hint: TEST_USER.email });
    await expect(page.getByLabel('Username or email').inputValue()).resolves.toBe(TEST_USER.email);
    await page.getByLabel('Password').fill(TEST_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alice = await first.finish({ consent: true });

    const select = await open(WEB, { prompt: 'select_account' });
    await page.getByRole('heading', { name: 'Choose an account' }).waitFor();
    await checkPage(page, 'select-account');
    await page.getByRole('button', { name: `Continue as ${TEST_USER.username}` }).click();
    expect((await select.finish()).sub).toBe(alice.sub);

    const deny = await open(WEB, { prompt: 'consent' });
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL((u) => u.origin === new URL(WEB.redirect).origin);
    expect(deny.callback()?.searchParams.get('error')).toBe('access_denied');

    const other = await open(WEB, { prompt: 'select_account' });
    await page.getByRole('button', { name: 'Use another account' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInWithPassword(page, CAROL.username, CAROL.password);
    const carol = await other.finish({ consent: true });
    expect(carol.sub).not.toBe(alice.sub);
    await context.close();
  });

  it('shows German pages for ui_locales=de and after too many failures a lockout page', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.77' } });
    const { page, open } = await tab(context);
    await open(WEB, { ui_locales: 'de' });
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await checkPage(page, 'login-de');
    for (let i = 0; i < 10; i += 1) {
      await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(TEST_USER.username);
      await page.getByLabel('Passwort').fill(`wrong ${i}`);
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.getByRole('alert').waitFor();
      if ((await page.getByRole('alert').textContent())!.includes('Zu viele')) break;
    }
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Zu viele fehlgeschlagene Versuche');
    await expect(page.getByLabel('Passwort').getAttribute('aria-describedby')).resolves.toBe('form-error');
    await checkPage(page, 'login-lockout-de');
    await context.close();
  });

  it('lays out on a phone-sized screen and signs out through the translated logout page', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, extraHTTPHeaders: { 'accept-language': 'de' } });
    const { page, open } = await tab(context);
    // prompt=consent: Alice's consent is remembered from an earlier browser; this shows the German consent page.
    const flow = await open(WEB, { prompt: 'consent' });
    await page.getByLabel('Benutzername oder E-Mail-Adresse').fill(TEST_USER.username);
    await page.getByLabel('Passwort').fill(TEST_USER.password);
    await checkPage(page, 'login-mobile');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('button', { name: 'Erlauben' }).click();
    await page.waitForURL((u) => u.origin === new URL(WEB.redirect).origin);
    void flow;
    await page.goto(`${op.issuer}/session/end?client_id=${WEB.id}`);
    await page.getByRole('heading', { name: 'Abmelden' }).waitFor();
    await checkPage(page, 'logout-de');
    await page.getByRole('button', { name: 'Ja, abmelden' }).click();
    await page.getByRole('heading', { name: 'Abgemeldet' }).waitFor();
    await expect(page.getByRole('link', { name: 'Erneut anmelden' }).getAttribute('href')).resolves.toBe('/account');
    await checkPage(page, 'logout-success-de');
    await context.close();
  });

  it('had no Content Security Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
