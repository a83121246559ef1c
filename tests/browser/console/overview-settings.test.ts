/**
 * The console's Overview and Settings screens in Chromium, and the console in German: the
 * overview counts the day's sign-ins from the audit trail; settings show the effective
 * configuration with secrets redacted; with CONSOLE_MFA_REQUIRED the sign-in asks for a second
 * factor (enrolment) before the console opens.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, describeInChromium, hasChromium, launchChromium } from '../../helpers/chromium.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { ADMIN, checkScreen, consoleSeed, openConsolePage, signInToConsole } from './support.js';

// Whole screens driven end to end, on a loaded two-core machine and on embedded PGlite.
vi.setConfig({ testTimeout: 120_000 });

let op: TestProvider;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  op = await startTestProvider({ seed: consoleSeed() });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
});

describeInChromium(`console overview and settings in Chromium (${chromiumPath})`, () => {
  it('shows the overview with the day\'s sign-ins and the settings with secrets redacted', async () => {
    const { context, page, csp } = await openConsolePage(browser);
    await signInToConsole(page, op.issuer);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await op.running.container.compliance.trail.flush();
    await page.reload();
    const signIns = page.locator('figure:has(figcaption:text-is("Sign-ins")) .value');
    expect(Number(await signIns.textContent())).toBeGreaterThanOrEqual(1);
    await checkScreen(page, 'overview');

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const html = await page.content();
    expect(html).toContain(op.issuer);
    expect(html).not.toContain(op.env.COOKIE_KEYS!);
    expect(html).not.toContain(op.env.KEY_ENCRYPTION_KEY!);
    expect(await page.locator('dt', { hasText: /^cookieKeys$/ }).locator('xpath=following-sibling::dd[1]').textContent()).toContain('secret, set');
    await checkScreen(page, 'settings');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('speaks German', async () => {
    const { context, page } = await openConsolePage(browser, { locale: 'de-DE' });
    await page.goto(`${op.issuer}/console/users`);
    await page.locator('input[name=login], input[autocomplete=username]').first().fill(ADMIN.username);
    await page.locator('input[type=password]').first().fill(ADMIN.password);
    await page.locator('button[type=submit]').first().click();
    await page.getByRole('heading', { name: 'Benutzer', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Übersicht' }).count()).toBe(1);
    await checkScreen(page, 'users-de');
    await context.close();
  });

  it('asks for a second factor when CONSOLE_MFA_REQUIRED', async () => {
    await op.restart({ CONSOLE_MFA_REQUIRED: 'true' });
    const { context, page } = await openConsolePage(browser);
    await page.goto(`${op.issuer}/console`);
    await page.getByLabel('Username or email').fill(ADMIN.username);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The account has no second factor yet: the provider enrols one before the console opens.
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'));
    await page.getByText(/authenticator app/i).first().waitFor();
    expect(new URL(page.url()).pathname.startsWith('/console')).toBe(false);
    await context.close();
  });
});
