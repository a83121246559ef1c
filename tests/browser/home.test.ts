/**
 * The start page, the built-in demo sign-in, the 404 page and a protocol error page in Chromium
 * (issue 12, items 6–8): each at desktop and phone width with axe, and the demo sign-in end to
 * end — start page → sign-in → consent → the demo callback showing the code and the tokens.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { describeInChromium, hasChromium, launchChromium, lookAtBothWidths } from '../helpers/chromium.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../helpers/provider.js';

let dev: TestProvider;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  dev = await startTestProvider({ env: { NODE_ENV: 'development', DEMO_CLIENTS: 'true', BRAND_NAME: 'Acme ID', BRAND_PRIMARY_COLOR: '#0f766e' } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

async function openPage(locale = 'en-US'): Promise<{ page: Page; csp: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const csp: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
  });
  return { page, csp, close: () => context.close() };
}

describeInChromium('start page, demo sign-in and error pages in Chromium', () => {
  it('the development start page signs in with the demo app and shows the tokens', async () => {
    const { page, csp, close } = await openPage();
    await page.goto(`${dev.issuer}/`);
    await page.getByRole('heading', { name: 'Acme ID is running' }).waitFor();
    expect(await lookAtBothWidths(page, 'home-development')).toEqual([]);

    await page.getByRole('link', { name: 'Sign in with the demo app' }).click();
    await page.getByLabel('Username or email').fill(TEST_USER.username);
    await page.getByLabel('Password', { exact: true }).fill(TEST_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();

    await page.getByRole('heading', { name: 'Signed in with the demo app' }).waitFor();
    const idToken = JSON.parse((await page.getByLabel('ID token claims').textContent()) ?? '{}') as Record<string, unknown>;
    expect(idToken).toMatchObject({ iss: dev.issuer, aud: 'demo-spa', sub: expect.any(String), nonce: expect.any(String) });
    const tokens = JSON.parse((await page.getByLabel('Token response').textContent()) ?? '{}') as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: expect.stringContaining('openid') });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(await page.getByLabel('Userinfo response').textContent()).toContain(TEST_USER.email);
    expect(await lookAtBothWidths(page, 'home-demo-result')).toEqual([]);
    expect(csp).toEqual([]);
    await close();
  });

  it('an unknown address is a translated page with a way back', async () => {
    const { page, close } = await openPage('de-DE');
    const response = await page.goto(`${dev.issuer}/gibt-es-nicht`);
    expect(response?.status()).toBe(404);
    await page.getByRole('heading', { name: 'Seite nicht gefunden' }).waitFor();
    expect(await lookAtBothWidths(page, 'not-found')).toEqual([]);
    await page.getByRole('link', { name: 'Zur Startseite' }).click();
    await page.getByRole('heading', { name: 'Acme ID läuft' }).waitFor();
    await close();
  });

  it('a redirect mismatch explains what to do and, in development, lists the registered URIs', async () => {
    const { page, close } = await openPage();
    const auth = new URL(`${dev.issuer}/auth`);
    for (const [key, value] of Object.entries({ client_id: 'demo-spa', response_type: 'code', scope: 'openid', redirect_uri: 'http://localhost:5174/callback' })) auth.searchParams.set(key, value);
    await page.goto(auth.href);
    await page.getByRole('heading', { name: 'This request cannot be completed' }).waitFor();
    await page.getByRole('heading', { name: /Redirect URIs registered/ }).waitFor();
    expect(await lookAtBothWidths(page, 'error-redirect-mismatch')).toEqual([]);
    await close();
  });
});

describeInChromium('the start page outside development in Chromium', () => {
  let op: TestProvider;
  beforeAll(async () => {
    op = await startTestProvider({ env: { BRAND_NAME: 'Acme ID' } });
  }, 120_000);
  afterAll(async () => {
    await op?.stop();
  });

  it('is a plain branded page leading to the account', async () => {
    const { page, csp, close } = await openPage();
    await page.goto(`${op.issuer}/`);
    await page.getByRole('heading', { name: 'Acme ID' }).waitFor();
    expect(await lookAtBothWidths(page, 'home-production')).toEqual([]);
    await page.getByRole('link', { name: 'Your account' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(csp).toEqual([]);
    await close();
  });
});
