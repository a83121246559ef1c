/**
 * The device sign-in pages (RFC 8628) in Chromium: the code page, the confirmation page naming
 * the client, sign-in and consent, and the success page; a wrong code; the German pages; each at
 * desktop and phone width, with axe (WCAG 2.1 A/AA) finding nothing and no CSP violation.
 * openid-client is the device, polling until the user has approved.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, describeInChromium, hasChromium, launchChromium, screenshot } from '../helpers/chromium.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../helpers/provider.js';
import { client, discover } from '../helpers/rp.js';
import { deviceSeed, TV_CLIENT } from '../integration/device/support.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${axeSource};0`);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target).join(' ')))`);
}

const VIEWPORTS = { desktop: { width: 1280, height: 900 }, phone: { width: 375, height: 740 } } as const;

let op: TestProvider;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  op = await startTestProvider({ seed: deviceSeed(), env: { DEVICE_POLL_INTERVAL: '1' } });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await op?.stop();
});

/** Screenshot at both widths and axe at both: @returns the violations found. */
async function check(page: Page, name: string): Promise<string[]> {
  const violations: string[] = [];
  for (const [width, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    await screenshot(page, `device-${name}-${width}`);
    violations.push(...(await axeViolations(page)));
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  return violations;
}

describeInChromium(`device sign-in pages in Chromium (${chromiumPath})`, () => {
  it('enters the code, confirms the client, signs in, consents; the device gets its tokens', { timeout: 120_000 }, async () => {
    const config = await discover(op.issuer, TV_CLIENT.client_id);
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid profile' });
    const polling = client.pollDeviceAuthorizationGrant(config, authorization);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const csp: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
    });

    await page.goto(`${op.issuer}/device`);
    await page.getByRole('heading', { name: 'Connect a device' }).waitFor();
    expect(await check(page, 'code')).toEqual([]);

    await page.getByLabel('Device code').fill('bcdf-ghjk');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This code is not valid.');
    expect(await check(page, 'code-wrong')).toEqual([]);

    // Lower case and without the dash: the provider normalises what the user types.
    await page.getByLabel('Device code').fill(authorization.user_code.toLowerCase().replace('-', ''));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Connect Living Room TV?' }).waitFor();
    await expect(page.locator('p.user-code').textContent()).resolves.toContain(authorization.user_code);
    expect(await check(page, 'confirm')).toEqual([]);

    await page.getByRole('button', { name: 'Yes, it is my device' }).click();
    await page.getByLabel('Username or email').fill(TEST_USER.username);
    await page.getByLabel('Password').fill(TEST_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Authorize Living Room TV/ }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByRole('heading', { name: 'Device connected' }).waitFor();
    expect(await check(page, 'success')).toEqual([]);

    const tokens = await polling;
    expect(tokens.claims()?.sub).toBeTruthy();
    expect(csp).toEqual([]);
    await context.close();
  });

  it('speaks German, and opening verification_uri_complete goes straight to the confirmation', { timeout: 60_000 }, async () => {
    const config = await discover(op.issuer, TV_CLIENT.client_id);
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(`${op.issuer}/device`);
    await page.getByRole('heading', { name: 'Gerät verbinden' }).waitFor();
    expect(await check(page, 'code-de')).toEqual([]);

    await page.goto(authorization.verification_uri_complete!);
    await page.getByRole('heading', { name: 'Living Room TV verbinden?' }).waitFor();
    expect(await check(page, 'confirm-de')).toEqual([]);
    await page.getByRole('button', { name: 'Abbrechen' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Sie haben die Anmeldung abgebrochen.');
    await context.close();
  });
});
