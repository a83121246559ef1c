/**
 * "Continue with Google" in Chromium: the button (white, the G logo served from /assets), the
 * round trip through a local stand-in for Google (a second oidc-provider on loopback, reached
 * through GOOGLE_ISSUER: the same code path as accounts.google.com), the link-your-account page,
 * and a denial shown on the sign-in page. No CSP violation anywhere.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { checkPage, describeInChromium, hasChromium, launchChromium } from '../helpers/chromium.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../helpers/provider.js';
import { authorizationRequest, client, discover } from '../helpers/rp.js';
import { startUpstreamIssuer, type UpstreamIssuer } from '../helpers/upstream-issuer.js';

let op: TestProvider;
let upstream: UpstreamIssuer;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  upstream = await startUpstreamIssuer();
  op = await startTestProvider({ env: { ...upstream.googleEnv(), FEDERATION_AUTO_REGISTER: 'true', FEDERATION_LINK_BY_EMAIL: 'true' } });
  await upstream.register(`${op.issuer}/federation/callback`);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
  await upstream?.stop();
});

async function open(): Promise<{ page: Page; csp: string[]; landed: () => URL | undefined; request: Awaited<ReturnType<typeof authorizationRequest>>; config: Awaited<ReturnType<typeof discover>> }> {
  const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email' });
  const page = await (await browser.newContext()).newPage();
  const csp: string[] = [];
  page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && csp.push(m.text())));
  let landed: URL | undefined;
  await page.route(`${new URL(WEB_CLIENT.redirect_uri).origin}/**`, async (route) => {
    landed = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
  });
  await page.goto(request.url.toString());
  return { page, csp, landed: () => landed, request, config };
}

describeInChromium('"Continue with Google" in Chromium', () => {
  it('shows the Google button and signs a new person up through Google', async () => {
    upstream.next = { sub: 'google-sub-1', email: 'grace@gmail.example', email_verified: true, name: 'Grace Hopper' };
    const { page, csp, landed, request, config } = await open();
    const button = page.getByRole('link', { name: 'Continue with Google' });
    await expect(button.isVisible()).resolves.toBe(true);
    // The logo really loaded from /assets (naturalWidth is 0 for a broken image).
    await expect(button.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).resolves.toBeGreaterThan(0);
    await expect(button.evaluate((a) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(a).backgroundColor)).resolves.toBe('rgb(255, 255, 255)');
    await checkPage(page, 'federation-login');

    await button.click();
    await page.getByRole('heading', { name: /Authorize Web App/ }).waitFor();
    await checkPage(page, 'federation-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.origin === new URL(WEB_CLIENT.redirect_uri).origin);
    const tokens = await client.authorizationCodeGrant(config, landed()!, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.claims()!.amr).toEqual(['fed']);
    expect(csp).toEqual([]);
  });

  it('asks for the password before linking Google to an existing account', async () => {
    upstream.next = { sub: 'google-alice', email: TEST_USER.email, email_verified: true };
    const { page, csp } = await open();
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await page.getByRole('heading', { name: 'Link your Google account' }).waitFor();
    await checkPage(page, 'federation-link');
    await page.getByLabel('Password of the existing account').fill('wrong password');
    await page.getByRole('button', { name: 'Link and continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The password is not correct.');
    await page.getByLabel('Password of the existing account').fill(TEST_USER.password);
    await page.getByRole('button', { name: 'Link and continue' }).click();
    await page.getByRole('heading', { name: /Authorize Web App/ }).waitFor();
    expect(csp).toEqual([]);
  });

  it('shows a denial at Google plainly on the sign-in page, in German when asked', async () => {
    upstream.next = 'deny';
    const { page } = await open();
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Sign-in with Google was cancelled or denied.');
    await checkPage(page, 'federation-denied');

    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const german = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', ui_locales: 'de' });
    await page.goto(german.url.toString());
    await page.getByRole('link', { name: 'Weiter mit Google' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Die Anmeldung mit Google wurde abgebrochen oder abgelehnt.');
    await checkPage(page, 'federation-denied-de');
  });
});
