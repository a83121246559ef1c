/**
 * The admin API reference at /admin/v1/docs in Chromium: Swagger UI served from its npm package
 * renders every operation of the document under the strict CSP (no violation reported), with 0
 * axe violations (WCAG 2.2 AA) at desktop and phone width both as first shown and with an
 * operation expanded, tried out and executed (public/api-docs.js and api-docs.css make it so);
 * the first screen's JavaScript size is printed for the CI log.
 */
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { checkPage, chromiumPath, describeInChromium } from '../../helpers/chromium.js';
import { consoleWorld, openConsolePage } from './support.js';

const world = consoleWorld();

describeInChromium(`admin API reference in Chromium (${chromiumPath})`, () => {
  it('renders every operation from the package, under the strict CSP, with 0 axe violations', async () => {
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
    // The one server of the document, in a select that now has a name.
    await expect(page.getByRole('combobox', { name: 'Server' }).inputValue()).resolves.toBe(`${world.op.issuer}/admin/v1`);
    await checkPage(page, 'console-api-docs');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('stays at 0 axe violations with operations expanded, tried out and executed', async () => {
    const { context, page, csp } = await openConsolePage(world.browser);
    await page.goto(`${world.op.issuer}/admin/v1/docs`);
    const list = page.locator('#operations-users-listUsers');
    await list.locator('.opblock-summary-control').click();
    await list.getByRole('button', { name: 'Try it out' }).click();
    await list.getByRole('combobox', { name: 'disabled (query)' }).selectOption('true');
    const create = page.locator('#operations-users-createUser');
    await create.locator('.opblock-summary-control').click();
    await create.getByRole('button', { name: 'Try it out' }).click();
    await expect(create.getByRole('textbox', { name: 'Request body' }).inputValue()).resolves.toContain('"username"');
    // Executed without a token: the API's own 401 comes back and is shown (connect-src 'self').
    await list.getByRole('button', { name: 'Execute' }).click();
    await expect(list.locator('.live-responses-table tbody .response-col_status').textContent()).resolves.toBe('401');
    const url = new URL((await list.locator('.request-url pre').textContent())!);
    expect([url.origin + url.pathname, url.searchParams.get('disabled')]).toEqual([`${world.op.issuer}/admin/v1/users`, 'true']);
    await checkPage(page, 'console-api-docs-try-it-out');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('keeps the console\'s own first screen JavaScript tiny', async () => {
    const script = await (await fetch(`${world.op.issuer}/assets/console.js`)).arrayBuffer();
    const gzipped = gzipSync(Buffer.from(script)).length;
    console.log(`console first-screen JavaScript: ${script.byteLength} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(250 * 1024);
  });
});
