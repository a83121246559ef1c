/**
 * The console's Clients screen in Chromium: create a client (its secret shown once), then
 * complete a code + PKCE flow with it using openid-client; an invalid redirect URI shows the
 * API's error by its field; "try sign-in" starts a real authorization request; rotate and
 * delete need a confirmation.
 */
import { expect, it } from 'vitest';
import { chromiumPath, describeInChromium } from '../../helpers/chromium.js';
import { discover } from '../../helpers/rp.js';
import { signIn } from '../../integration/protocol/support.js';
import { checkScreen, consoleWorld, openConsolePage, signInToConsole } from './support.js';

const world = consoleWorld();
const REDIRECT = 'http://127.0.0.1:9998/console-made/cb';

describeInChromium(`console clients in Chromium (${chromiumPath})`, () => {
  it('creates a client whose secret is shown once and completes code + PKCE with it', async () => {
    const { context, page, csp } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer, undefined, '/console/clients');
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await checkScreen(page, 'clients');

    await page.getByLabel('Client ID').fill('console-made');
    await page.getByLabel('Redirect URIs').fill('not a url');
    await page.getByLabel(/Confidential/).check();
    await page.getByRole('button', { name: 'Create a client' }).click();
    await page.locator('#redirect-uris-error').waitFor();
    expect(await page.getByLabel('Redirect URIs').getAttribute('aria-invalid')).toBe('true');
    await checkScreen(page, 'clients-field-errors');

    await page.getByLabel('Redirect URIs').fill(REDIRECT);
    await page.getByLabel('Scopes').fill('openid email');
    await page.getByRole('button', { name: 'Create a client' }).click();
    await page.getByRole('heading', { name: 'Client console-made created' }).waitFor();
    const secret = (await page.locator('#secret').textContent())!.trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(await page.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
    await checkScreen(page, 'client-secret');
    await page.getByRole('link', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'console-made' }).waitFor();
    // Shown once: the client's page does not carry it.
    expect(await page.content()).not.toContain(secret);
    await checkScreen(page, 'client');

    const config = await discover(world.op.issuer, 'console-made', secret);
    const { tokens } = await signIn(world.op, config, { redirectUri: REDIRECT, scope: 'openid email' });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.claims()?.aud).toBe('console-made');

    // Try sign-in: a real authorization request for the client lands on the sign-in page.
    await page.getByRole('link', { name: 'Try sign-in' }).click();
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
    await page.goBack();

    await page.goto(`${world.op.issuer}/console/clients/console-made`);
    await page.locator('summary', { hasText: 'Rotate secret' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('heading', { name: 'New secret for console-made' }).waitFor();
    const rotated = (await page.locator('#secret').textContent())!.trim();
    expect(rotated).not.toBe(secret);

    await page.goto(`${world.op.issuer}/console/clients/console-made`);
    await page.locator('summary', { hasText: 'Delete client' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Client console-made deleted.').waitFor();
    expect(await page.getByRole('link', { name: 'console-made' }).count()).toBe(0);
    expect(csp).toEqual([]);
    await context.close();
  });
});
