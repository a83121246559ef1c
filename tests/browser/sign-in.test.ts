import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { checkPage, chromiumPath, describeInChromium, hasChromium, launchChromium } from '../helpers/chromium.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../helpers/provider.js';
import { authorizationRequest, client, discover } from '../helpers/rp.js';

let op: TestProvider;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  op = await startTestProvider();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
});

describeInChromium(`sign-in pages in Chromium (${chromiumPath})`, () => {
  it('logs in, consents and lands on the client with a code; no CSP violation on the way', async () => {
    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const { url, verifier, state, nonce } = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid profile email' });
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    let landed: URL | undefined;
    await page.route(`${new URL(WEB_CLIENT.redirect_uri).origin}/**`, async (route) => {
      landed = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
    });

    await page.goto(url.toString());
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await checkPage(page, 'login');

    await page.getByLabel('Username or email').fill(TEST_USER.username);
    // The show-password toggle (public/enhance.js) reveals and hides again.
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Show password' }).click();
    await expect(page.getByLabel('Password').getAttribute('type')).resolves.toBe('text');
    await page.getByRole('button', { name: 'Hide password' }).click();
    await expect(page.getByLabel('Password').getAttribute('type')).resolves.toBe('password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid username or password.');
    await checkPage(page, 'login-error');

    await page.getByLabel('Password').fill(TEST_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Authorize Web App/ }).waitFor();
    await expect(page.locator('ul.scopes').textContent()).resolves.toContain('See your email address');
    // Who is signed in, and "not you?": the same request again with prompt=login.
    await expect(page.locator('.who').textContent()).resolves.toContain(`Signed in as ${TEST_USER.username}`);
    const notYou = new URL((await page.getByRole('link', { name: 'Not you?' }).getAttribute('href'))!, op.issuer);
    expect([notYou.pathname, notYou.searchParams.get('prompt'), notYou.searchParams.get('client_id'), notYou.searchParams.get('state')]).toEqual(['/auth', 'login', WEB_CLIENT.client_id, state]);
    await checkPage(page, 'consent');

    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.origin === new URL(WEB_CLIENT.redirect_uri).origin);
    expect(landed?.searchParams.get('state')).toBe(state);
    const tokens = await client.authorizationCodeGrant(config, landed!, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    // conformIdTokenClaims: scope-requested claims come from userinfo, not the ID token.
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.email).toBe(TEST_USER.email);
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('renders a readable error page for an unknown client', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${op.issuer}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fevil.example%2F`);
    expect(response?.status()).toBe(400);
    await expect(page.getByRole('heading').first().textContent()).resolves.toContain('cannot be completed');
    expect(page.url().startsWith(op.issuer)).toBe(true);
    await checkPage(page, 'error-unknown-client');
    await page.close();
  });
});
