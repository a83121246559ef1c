/**
 * The admin API reference at /admin/v1/docs in Chromium: Swagger UI served from its npm package
 * renders every operation of the document under the strict CSP (no violation reported), and the
 * first screen's JavaScript size is printed for the CI log.
 */
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { chromiumPath, describeInChromium, screenshot } from '../../helpers/chromium.js';
import { PHONE, axeViolations, consoleWorld, openConsolePage } from './support.js';

const world = consoleWorld();

describeInChromium(`admin API reference in Chromium (${chromiumPath})`, () => {
  it('renders every operation from the package, under the strict CSP', async () => {
    const response = await fetch(`${world.op.issuer}/admin/v1/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
    expect(await response.text()).not.toMatch(/<script>|<style>|https?:\/\/(?!127\.0\.0\.1)/);
    const document = (await (await fetch(`${world.op.issuer}/admin/v1/openapi.json`)).json()) as { paths: Record<string, object> };
    const operations = Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);

    const { context, page, csp } = await openConsolePage(world.browser);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${world.op.issuer}/admin/v1/docs`);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(requests.every((url) => url.startsWith(world.op.issuer) || url.startsWith('data:'))).toBe(true);
    expect(csp).toEqual([]);
    await screenshot(page, 'console-api-docs-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'console-api-docs-phone');
    // Swagger UI is third-party markup: its axe findings are printed, not ours to fix here.
    console.log(`api docs axe: ${JSON.stringify(await axeViolations(page))}`);
    await context.close();
  });

  it('keeps the console\'s own first screen JavaScript tiny', async () => {
    const script = await (await fetch(`${world.op.issuer}/assets/console.js`)).arrayBuffer();
    const gzipped = gzipSync(Buffer.from(script)).length;
    console.log(`console first-screen JavaScript: ${script.byteLength} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(250 * 1024);
  });
});
