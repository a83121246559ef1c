/**
 * The console's Roles and APIs screens in Chromium: a role's permissions edited in the console
 * show in the user's next JWT access token; an API registered and edited (scopes, token format,
 * lifetime) and deleted behind a confirmation.
 */
import { expect, it } from 'vitest';
import { chromiumPath, describeInChromium } from '../../helpers/chromium.js';
import { API } from '../../helpers/provider.js';
import { signIn, webClient } from '../../integration/protocol/support.js';
import { checkScreen, consoleWorld, openConsolePage, signInToConsole } from './support.js';

const world = consoleWorld();

const scopeOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as { scope: string }).scope;

describeInChromium(`console roles and APIs in Chromium (${chromiumPath})`, () => {
  it('edits a role and the next JWT carries the change', async () => {
    const config = await webClient(world.op);
    const before = await signIn(world.op, config, { scope: 'openid orders:read orders:write', resource: API.identifier });
    expect(scopeOf(before.tokens.access_token).split(' ').sort()).toEqual(['orders:read', 'orders:write']);

    const { context, page, csp } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer, undefined, '/console/roles');
    await page.getByRole('heading', { name: 'Roles' }).waitFor();
    await checkScreen(page, 'roles');
    await page.getByRole('link', { name: 'order-manager' }).click();
    await page.getByRole('heading', { name: 'order-manager' }).waitFor();
    await checkScreen(page, 'role');
    await page.getByLabel(/orders:write/).uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect(await page.getByLabel(/orders:write/).isChecked()).toBe(false);

    const after = await signIn(world.op, config, { scope: 'openid orders:read orders:write', resource: API.identifier });
    expect(scopeOf(after.tokens.access_token)).toBe('orders:read');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('registers, edits and deletes an API', async () => {
    const { context, page } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer, undefined, '/console/apis');
    await page.getByRole('heading', { name: 'APIs' }).waitFor();
    await page.getByLabel('Identifier (audience)').fill('https://billing.example.com');
    await page.getByLabel('Name').fill('Billing');
    await page.getByLabel('Scopes').fill('billing:read Read invoices\nbilling:write Change invoices');
    await page.getByLabel('Token lifetime (s)').fill('300');
    await page.getByRole('button', { name: 'Register an API' }).click();
    await page.getByRole('heading', { name: 'Billing' }).waitFor();
    await page.getByLabel('Token format').selectOption('opaque');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect(await page.getByLabel('Token format').inputValue()).toBe('opaque');
    await checkScreen(page, 'api');
    await page.getByRole('link', { name: 'APIs' }).first().click();
    expect(await page.getByRole('row', { name: /Billing/ }).textContent()).toContain('billing:read billing:write');
    await checkScreen(page, 'apis');
    await page.getByRole('link', { name: 'Billing' }).click();
    await page.locator('summary', { hasText: 'Delete API' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('API deleted.').waitFor();
    expect(await page.getByRole('link', { name: 'Billing' }).count()).toBe(0);
    await context.close();
  });
});
