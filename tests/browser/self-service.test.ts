/**
 * Self-service pages in Chromium: sign-up with email verification by code (from a sign-in page,
 * continuing to the client) and by link, password reset (with openid-client proving the old
 * refresh token dead), the account page (profile, password, email change, sessions, apps), a
 * German page and a phone-sized one. Screenshots of each page go to test-results/screenshots.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, checkPage, chromiumPath, describeInChromium, hasChromium, launchChromium, screenshot } from '../helpers/chromium.js';
import { openMailbox, type Mailbox } from '../helpers/mailbox.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../helpers/provider.js';
import { authorizationRequest, client, discover } from '../helpers/rp.js';
import { createUser } from '../../server/modules/users/index.js';
import { expectOAuthError, signIn, webClient } from '../integration/protocol/support.js';
import { nextTotp } from '../helpers/mfa.js';

let op: TestProvider;
let mailbox: Mailbox;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  mailbox = await openMailbox();
  op = await startTestProvider({ ...mailbox.provider, env: { SIGNUP_ENABLED: 'true' } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
  await mailbox?.close();
});

/** A fresh browser profile that records CSP violations. */
async function openPage(options: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page; csp: string[] }> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', ...(options.viewport ? { viewport: options.viewport } : {}) });
  const page = await context.newPage();
  const csp: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
  });
  await page.route(`${new URL(WEB_CLIENT.redirect_uri).origin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' }));
  return { context, page, csp };
}

async function signInOnPage(page: Page, login: string, password: string) {
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describeInChromium(`self-service pages in Chromium (${chromiumPath})`, () => {
  it('signs up from a sign-in page, changes the address, verifies by code, and continues to the client', { timeout: 120_000 }, async () => {
    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email' });
    const { context, page, csp } = await openPage();
    await page.goto(request.url.toString());
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await checkPage(page, 'register');

    await page.getByLabel('Username').fill('browser-joiner');
    await page.getByLabel('Email').fill('browser-joiner@example.com');
    await page.getByLabel('Password').fill('password1234');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/Use at least 12 characters|data breaches/);
    await checkPage(page, 'register-errors');

    const since = mailbox.count();
    await page.getByLabel('Password').fill('joining by browser today');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await expect(page.locator('.lead').textContent()).resolves.toContain('browser-joiner@example.com');
    await checkPage(page, 'register-check-email');
    await mailbox.waitFor('browser-joiner@example.com', 'verify-email', { since });

    // A typo in the address: back to the form with the username kept and the password not.
    await page.getByRole('link', { name: 'Use a different address' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await expect(page.getByLabel('Username').inputValue()).resolves.toBe('browser-joiner');
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('browser-joiner@example.com');
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
    await checkPage(page, 'register-change-address');
    await page.getByLabel('Email').fill('browser-joiner@example.org');
    await page.getByLabel('Password').fill('joining by browser today');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await expect(page.locator('.lead').textContent()).resolves.toContain('browser-joiner@example.org');
    const message = await mailbox.waitFor('browser-joiner@example.org', 'verify-email', { since });
    await page.getByLabel('Code from the email').fill(message.data.code!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: /Authorize Web App/ }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.origin === new URL(WEB_CLIENT.redirect_uri).origin);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.claims()?.sub).toBe((await op.running.container.users.findByLogin('browser-joiner@example.org'))!.id);
    expect(await op.running.container.users.findByLogin('browser-joiner@example.com')).toBeUndefined();
    expect(csp).toEqual([]);
    await context.close();
  });

  it('signs up on its own and verifies by the emailed link', async () => {
    const { context, page, csp } = await openPage();
    await page.goto(`${op.issuer}/account/register`);
    const since = mailbox.count();
    await page.getByLabel('Username').fill('link-clicker');
    await page.getByLabel('Email').fill('link-clicker@example.com');
    await page.getByLabel('Password').fill('clicking links all day');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    const message = await mailbox.waitFor('link-clicker@example.com', 'verify-email', { since });
    await page.goto(message.data.link!);
    await page.getByRole('heading', { name: 'Email verified' }).waitFor();
    await checkPage(page, 'register-verified-by-link');
    expect((await op.running.container.users.findByLogin('link-clicker'))?.emailVerified).toBe(true);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('resets a forgotten password; the old refresh token is dead afterwards', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid email offline_access', prompt: 'consent' });
    const request = await authorizationRequest(await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret), { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    const { context, page, csp } = await openPage();
    await page.goto(request.url.toString());
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await checkPage(page, 'recover');
    const since = mailbox.count();
    await page.getByLabel('Email').fill(TEST_USER.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await checkPage(page, 'recover-sent');
    const message = await mailbox.waitFor(TEST_USER.email, 'password-reset', { since });
    await page.goto(message.data.link!);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await checkPage(page, 'reset');
    await page.getByLabel('New password', { exact: true }).fill('a reset done in chromium');
    await page.getByLabel('Repeat the new password').fill('a reset done in chromium');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await checkPage(page, 'reset-done');
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant');
    // The finished reset leads back to the sign-in it was asked for from, and through it to the app.
    await page.getByRole('link', { name: 'Continue signing in' }).click();
    await signInOnPage(page, TEST_USER.username, 'a reset done in chromium');
    // The reset revoked every grant: the app asks again.
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.origin === new URL(WEB_CLIENT.redirect_uri).origin);
    expect(new URL(page.url()).searchParams.get('state')).toBe(request.state);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('manages the account: profile, password, email change, sessions and apps', { timeout: 120_000 }, async () => {
    await createUser(op.running.container, { username: 'manager', email: 'manager@example.com', emailVerified: true, password: 'managing my own account', profile: {} });
    // An app with offline access, so the apps list has something to revoke.
    const config = await webClient(op);
    const appGrant = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email offline_access', prompt: 'consent' });
    const { context, page, csp } = await openPage();
    await page.goto(appGrant.url.toString());
    await signInOnPage(page, 'manager', 'managing my own account');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.origin === new URL(WEB_CLIENT.redirect_uri).origin);
    const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: appGrant.verifier, expectedState: appGrant.state, expectedNonce: appGrant.nonce });

    // A second browser (another User-Agent), so the sessions list shows two devices.
    const other = await browser.newContext({ locale: 'en-US', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0' });
    const otherPage = await other.newPage();
    await otherPage.goto(`${op.issuer}/account`);
    await signInOnPage(otherPage, 'manager', 'managing my own account');
    await otherPage.getByRole('heading', { name: 'Your account' }).waitFor();
    await other.close();

    await page.goto(`${op.issuer}/account`);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await checkPage(page, 'account');

    // Edit forms are closed until used; one primary action per section.
    expect(await page.locator('details.edit[open]').count()).toBe(0);
    await expect(page.getByRole('navigation', { name: 'Account sections' }).getByRole('link').allTextContents()).resolves.toEqual(['Profile', 'Sign-in & security', 'Sessions', 'Apps']);
    const sessions = (await page.locator('#sessions .items > li').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(sessions).toHaveLength(2);
    expect(sessions.find((text) => text.includes('this device'))).toMatch(/^Chrome on Linux · 127\.0\.0\.x · last seen just now this device/);
    expect(sessions.find((text) => !text.includes('this device'))).toMatch(/^Firefox on Windows · 127\.0\.0\.x · last seen just now Signed in/);
    await page.locator('summary', { hasText: 'Edit profile' }).click();
    await checkPage(page, 'account-profile-open');
    await page.getByLabel('Full name').fill('Mana Ger');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your profile was saved.');

    await page.locator('summary', { hasText: 'Change password' }).click();
    await page.getByLabel('Current password').fill('managing my own account');
    await page.getByLabel('New password', { exact: true }).fill('a newer account passphrase');
    await page.getByLabel('Repeat the new password').fill('a newer account passphrase');
    await page.locator('#password form').getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your password was changed.');

    const since = mailbox.count();
    await page.locator('summary', { hasText: 'Change email' }).click();
    await page.getByLabel('New email address').fill('manager-new@example.com');
    await page.getByRole('button', { name: 'Send a code to the new address' }).click();
    const message = await mailbox.waitFor('manager-new@example.com', 'verify-email', { since });
    await page.getByLabel('Code sent to your new address').fill(message.data.code!);
    await checkPage(page, 'account-email-change');
    await page.getByRole('button', { name: 'Confirm new address' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Your email address was changed.');
    await mailbox.waitFor('manager@example.com', 'email-changed', { since });

    // An invalid phone number: its form opens again with the error, and the field keeps its red border (WCAG 1.4.11).
    await page.locator('summary', { hasText: 'Add a phone number' }).click();
    await page.getByLabel('Phone number').fill('not a phone');
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect(page.locator('#phone-error').textContent()).resolves.toContain('international format');
    const phoneField = page.getByLabel('Phone number');
    await phoneField.focus();
    expect(await page.evaluate("getComputedStyle(document.getElementById('new-phone')).borderTopColor")).toBe('rgb(179, 38, 30)');
    await checkPage(page, 'account-phone-invalid');

    await page.getByRole('button', { name: 'Remove access' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('The app no longer has access.');
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant');
    await checkPage(page, 'account-after-changes');

    await page.getByRole('button', { name: 'Sign out here' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(csp).toEqual([]);
    await context.close();
  });

  it('sets up an authenticator app on the account page', async () => {
    await createUser(op.running.container, { username: 'totp-user', email: 'totp-user@example.com', emailVerified: true, password: 'two steps are better than one' });
    const { context, page, csp } = await openPage();
    await page.goto(`${op.issuer}/account`);
    await signInOnPage(page, 'totp-user', 'two steps are better than one');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    await checkPage(page, 'account-totp-enrol');
    // The key in groups of four, none broken across lines; copied without the spaces.
    const groups = await page.locator('code.secret span').allTextContents();
    expect(groups.every((g) => g.length <= 4)).toBe(true);
    const secret = groups.join('');
    await page.getByLabel('Type the 6-digit code the app shows to finish.').fill(await nextTotp(secret));
    await page.getByRole('button', { name: 'Turn on two-step verification' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    expect(await page.locator('ul.codes li').count()).toBe(10);
    // Download needs no script: a data: link holding every code; copy and print are shown by the script.
    const download = decodeURIComponent((await page.getByRole('link', { name: 'Download' }).getAttribute('href'))!);
    for (const code of await page.locator('ul.codes code').allTextContents()) expect(download).toContain(code);
    await expect(page.getByRole('button', { name: 'Copy codes' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Print' }).isVisible()).resolves.toBe(true);
    await checkPage(page, 'account-recovery-codes');
    await page.getByRole('link', { name: 'I saved my codes, continue' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('two-step verification settings were saved');
    await expect(page.locator('#security').textContent()).resolves.toContain('10 recovery codes left');
    await checkPage(page, 'account-totp-on');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('asks to confirm it is you in each section whose changes need a recent sign-in', async () => {
    const user = await createUser(op.running.container, { username: 'stale', email: 'stale@example.com', emailVerified: true, password: 'signed in a while ago', profile: { phone_number: '+4915123456789', phone_number_verified: true } });
    const { context, page, csp } = await openPage();
    await page.goto(`${op.issuer}/account`);
    await signInOnPage(page, 'stale', 'signed in a while ago');
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    // The sign-in is now an hour old, older than ACCOUNT_REAUTH_WINDOW (10 minutes).
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    await op.running.container.database.knex('oidc_payloads').where({ model: 'Session', account_id: user.id })
      .update({ payload: op.running.container.database.knex.raw(`jsonb_set(payload, '{loginTs}', to_jsonb(?::bigint))`, [hourAgo]) });
    await page.reload();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    for (const section of ['#profile', '#security', '#sessions']) {
      await expect(page.locator(`${section} .reauth`).first().getByRole('link', { name: 'Confirm it is you' }).getAttribute('href')).resolves.toBe('/account/login?return=%2Faccount&reauth=1');
    }
    // No change that needs the recent sign-in is offered; the profile and password still are.
    expect(await page.getByRole('button', { name: 'Sign out here' }).count()).toBe(0);
    expect(await page.locator('summary', { hasText: 'Change email' }).count()).toBe(0);
    expect(await page.locator('summary', { hasText: 'Edit profile' }).count()).toBe(1);
    await expect(page.locator('#phone').textContent()).resolves.toContain('+49 1512 3456789');
    await checkPage(page, 'account-reauth');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('pages long session and app lists, at desktop and phone widths, with links reachable by keyboard', { timeout: 180_000 }, async () => {
    const user = await createUser(op.running.container, { username: 'pager', email: 'pager@example.com', emailVerified: true, password: 'so many sessions and apps', profile: {} });
    const now = Math.floor(Date.now() / 1000);
    const expires = new Date(Date.now() + 86_400_000);
    await op.running.container.database.knex('oidc_payloads').insert([
      ...Array.from({ length: 55 }, (_, i) => ({ model: 'Session', id: `pager-session-${i}`, uid: `pager-uid-${i}`, account_id: user.id, expires_at: expires, payload: { uid: `pager-uid-${i}`, accountId: user.id, loginTs: now - 3600 - i * 60, authorizations: {} } })),
      ...Array.from({ length: 55 }, (_, i) => ({ model: 'Grant', id: `pager-grant-${i}`, account_id: user.id, expires_at: expires, payload: { accountId: user.id, clientId: WEB_CLIENT.client_id, iat: now - 3600 - i * 60, openid: { scope: 'openid email' } } })),
    ]);
    let signIns = 0;
    for (const [width, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 375, height: 740 }]] as const) {
      signIns += 1;
      const { context, page, csp } = await openPage({ viewport });
      await page.goto(`${op.issuer}/account`);
      await signInOnPage(page, 'pager', 'so many sessions and apps');
      await page.getByRole('heading', { name: 'Your account' }).waitFor();
      expect(await page.locator('#sessions .items > li').count()).toBe(20);
      expect(await page.locator('#apps .items > li').count()).toBe(20);
      await expect(page.locator('#sessions nav.pager').textContent()).resolves.toContain(`Showing 20 of ${55 + signIns}`);
      expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `account-paged-${width}`);

      // The pager's link is reached and followed with the keyboard alone.
      const older = page.getByRole('navigation', { name: 'Pages of sessions' }).getByRole('link', { name: 'Older →' });
      await older.focus();
      expect(await page.evaluate('document.activeElement.getAttribute("rel")')).toBe('next');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.searchParams.has('sessions'));
      await page.getByRole('navigation', { name: 'Pages of sessions' }).getByRole('link', { name: '← Newer' }).waitFor();
      expect(await page.locator('#sessions .items > li').count()).toBe(20);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `account-paged-${width}-page-2`);
      expect(csp).toEqual([]);
      await context.close();
    }
  });

  it('speaks French and Spanish', async () => {
    for (const [locale, heading, lang] of [['fr-FR', 'Créez votre compte', 'fr'], ['es-ES', 'Crea tu cuenta', 'es']] as const) {
      const { context, page } = await openPage({ locale });
      await page.goto(`${op.issuer}/account/register`);
      await page.getByRole('heading', { name: heading }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await checkPage(page, `register-${lang}`);
      await context.close();
    }
  });

  it('speaks German and fits a phone screen', async () => {
    const { context, page } = await openPage({ locale: 'de-DE', viewport: { width: 375, height: 740 } });
    await page.goto(`${op.issuer}/account/register`);
    await page.getByRole('heading', { name: 'Konto erstellen' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await checkPage(page, 'register-de-mobile');
    await page.goto(`${op.issuer}/account/recover`);
    await page.getByRole('heading', { name: 'Passwort zurücksetzen' }).waitFor();
    await checkPage(page, 'recover-de-mobile');
    await context.close();
  });
});
