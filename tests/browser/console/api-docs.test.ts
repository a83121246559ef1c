/**
 * The admin API reference at /admin/v1/docs in Chromium: Swagger UI served from its npm package
 * renders every operation of the document under the strict CSP (no violation reported), and the
 * first screen's JavaScript size is printed for the CI log.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, describeInChromium, hasChromium, launchChromium, screenshot } from '../../helpers/chromium.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { axeViolations, consoleSeed, openConsolePage, PHONE } from './support.js';

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

describeInChromium(`admin API reference in Chromium (${chromiumPath})`, () => {
  it('renders every operation from the package, under the strict CSP', async () => {
    const response = await fetch(`${op.issuer}/admin/v1/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
    expect(await response.text()).not.toMatch(/<script>|<style>|https?:\/\/(?!127\.0\.0\.1)/);
    const document = (await (await fetch(`${op.issuer}/admin/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);

    const { context, page, csp } = await openConsolePage(browser);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${op.issuer}/admin/v1/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(requests.every((url) => url.startsWith(op.issuer) || url.startsWith('data:'))).toBe(true);
    expect(csp).toEqual([]);
    await screenshot(page, 'console-api-docs-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-api-docs-phone');
    // Swagger UI is third-party markup: its axe findings are printed, not ours to fix here.
    console.log(`api docs axe: ${JSON.stringify(await axeViolations(page))}`);
    await context.close();
  });

  it('keeps the console\'s own first screen JavaScript tiny', async () => {
    const script = await (await fetch(`${op.issuer}/assets/console.js`)).arrayBuffer();
    const gzipped = gzipSync(Buffer.from(script)).length;
    console.log(`console first-screen JavaScript: ${script.byteLength} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(250 * 1024);
  });
});
