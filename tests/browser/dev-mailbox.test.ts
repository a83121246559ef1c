/**
 * The development mailbox (issue 12, item 5): a password reset requested in Chromium shows up
 * at /dev/mailbox with its link clickable, and following it opens the reset page. Linked from the
 * development start page; absent outside development. Desktop and phone screenshots with axe.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { describeInChromium, hasChromium, launchChromium, lookAtBothWidths } from '../helpers/chromium.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../helpers/provider.js';

let dev: TestProvider;
let test: TestProvider;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  dev = await startTestProvider({ env: { NODE_ENV: 'development', EMAIL_PROVIDER: 'log', LOG_FORMAT: 'json' } });
  test = await startTestProvider({ env: { EMAIL_PROVIDER: 'log' } });
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  await test?.stop();
});

describeInChromium('development mailbox in Chromium', () => {
  it('lists a printed reset email with its link clickable, linked from the start page', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${dev.issuer}/dev/mailbox`);
    await page.getByRole('heading', { name: 'Development mailbox' }).waitFor();
    await expect(page.getByRole('status').textContent()).resolves.toContain('Nothing sent yet');
    expect(await lookAtBothWidths(page, 'dev-mailbox-empty')).toEqual([]);

    await page.goto(`${dev.issuer}/account/recover`);
    await page.getByLabel('Email').fill(TEST_USER.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    await page.goto(`${dev.issuer}/`);
    await page.getByRole('link', { name: 'Development mailbox' }).click();
    // The outbox worker sends in the background: reload until the message is there.
    for (let i = 0; i < 100 && (await page.getByRole('article').count()) === 0; i++) {
      await page.waitForTimeout(300);
      await page.reload();
    }
    const message = page.getByRole('article').first();
    await expect(message.textContent()).resolves.toContain(TEST_USER.email);
    const link = message.getByRole('link').first();
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith(`${dev.issuer}/account/`)).toBe(true);
    expect(await lookAtBothWidths(page, 'dev-mailbox')).toEqual([]);

    await link.click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await context.close();
  });

  it('does not exist outside development', async () => {
    const response = await fetch(`${test.issuer}/dev/mailbox`);
    expect(response.status).toBe(404);
  });
});
