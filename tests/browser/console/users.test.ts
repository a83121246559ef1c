/**
 * The console's Users screen in Chromium: sign-in through the console's own client (code +
 * PKCE, admin role required), search and paging, create, edit (and a stale edit's 412 message),
 * roles, disable — after which the user's refresh token is refused (openid-client) — and enable;
 * linked identities listed and one unlinked after confirmation; a user's sessions with their browser, network and last seen.
 */
import { expect, it } from 'vitest';
import { chromiumPath, describeInChromium } from '../../helpers/chromium.js';
import { TEST_USER } from '../../helpers/provider.js';
import { client } from '../../helpers/rp.js';
import { signIn, webClient } from '../../integration/protocol/support.js';
import { checkScreen, consoleWorld, openConsolePage, signInToConsole } from './support.js';

const world = consoleWorld();

describeInChromium(`console users in Chromium (${chromiumPath})`, () => {
  it('refuses an account without the admin role', async () => {
    const { context, page } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer, TEST_USER);
    await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
    expect(await page.getByText('This account does not have the admin role').count()).toBe(1);
    await context.close();
  });

  it('lists, searches, creates and edits users; a stale edit shows the 412 message', async () => {
    const { context, page, csp } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer, undefined, '/console/users');
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    // No token is readable by the page's scripts: nothing in storage, the session cookie HttpOnly.
    expect(await page.evaluate('JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie')).not.toMatch(/ey[A-Za-z0-9_-]{20,}/);
    const session = (await context.cookies()).find((c) => c.name === 'console_session');
    expect(session?.httpOnly).toBe(true);
    expect(await page.getByRole('link', { name: TEST_USER.username }).count()).toBe(1);
    await checkScreen(page, 'users');

    await page.getByLabel('Search by name, email or username').fill('ali');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.getByRole('link', { name: TEST_USER.username }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'console-admin' }).count()).toBe(0);
    // By the profile's name, which is neither the username nor the email.
    await page.getByLabel('Search by name, email or username').fill('liddell');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'liddell');
    expect(await page.getByRole('link', { name: TEST_USER.username }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'console-admin' }).count()).toBe(0);
    await checkScreen(page, 'users-search');
    // The API's wildcards are literal: "%" matches no one here.
    await page.getByLabel('Search by name, email or username').fill('%');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === '%');
    expect(await page.getByRole('link', { name: TEST_USER.username }).count()).toBe(0);

    await page.goto(`${world.op.issuer}/console/users`);
    await page.getByLabel('Username', { exact: true }).fill('new user!');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#new-username-error').waitFor();
    expect(await page.getByLabel('Username', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await checkScreen(page, 'users-create-errors');

    await page.getByLabel('Username', { exact: true }).fill('bob');
    await page.getByLabel('Email', { exact: true }).fill('bob@example.com');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: /^bob/ }).waitFor();
    expect(await page.getByText('User bob created.').count()).toBe(1);
    await page.getByLabel('Full name').fill('Bob Builder');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    expect(await page.getByLabel('Full name').inputValue()).toBe('Bob Builder');
    await checkScreen(page, 'user');

    // Someone else changes bob after this page was rendered: saving it now is a stale edit.
    const bobUrl = page.url();
    const other = await openConsolePage(world.browser);
    await signInToConsole(other.page, world.op.issuer, undefined, new URL(bobUrl).pathname);
    await other.page.getByLabel('Full name').fill('Robert Builder');
    await other.page.getByRole('button', { name: 'Save', exact: true }).click();
    await other.page.getByText('Saved.').waitFor();
    await other.context.close();
    await page.getByLabel('Full name').fill('Bobby');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Changed by someone else — reload').waitFor();
    await checkScreen(page, 'stale-edit');
    await page.getByRole('link', { name: 'Reload' }).click();
    expect(await page.getByLabel('Full name').inputValue()).toBe('Robert Builder');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('shows a user’s linked identities and unlinks one after confirmation', async () => {
    const { knex } = world.op.running.container.database;
    const alice = (await world.op.running.container.users.findByUsername(TEST_USER.username))!;
    const identity = (id: string, subject: string, provider: string) => ({ id, user_id: alice.id, provider_id: provider, issuer: `https://${provider}.example.test`, subject, email: `${subject}@${provider}.example.test`, created_at: new Date('2026-11-30T08:15:00Z') });
    await knex('federated_identities').insert([identity('console-fid-1', 'alice-corp', 'corp'), identity('console-fid-2', 'alice-partner', 'partner')]);
    const { context, page, csp } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer, undefined, `/console/users/${encodeURIComponent(alice.id)}`);
    const section = page.locator('section#identities');
    await section.getByRole('heading', { name: 'Linked identities' }).waitFor();
    expect(await section.locator('li').count()).toBe(2);
    expect(await section.locator('li', { hasText: 'alice-corp@corp.example.test' }).textContent()).toContain('linked 2026-11-30 08:15 UTC');
    await checkScreen(page, 'user-identities');

    const corp = section.locator('li', { hasText: 'corp.example.test' }).filter({ hasNotText: 'partner' });
    await corp.locator('summary', { hasText: 'Unlink' }).click();
    expect(await corp.getByText('Unlink the corp identity from alice?').isVisible()).toBe(true);
    await corp.getByRole('button', { name: 'Unlink' }).click();
    await page.getByText('Identity unlinked.').waitFor();
    expect(await page.locator('section#identities li').count()).toBe(1);
    expect(await page.locator('section#identities li').textContent()).toContain('partner');
    expect(await knex('federated_identities').where({ user_id: alice.id }).pluck('id')).toEqual(['console-fid-2']);
    await knex('federated_identities').where({ user_id: alice.id }).delete();
    expect(csp).toEqual([]);
    await context.close();
  });

  it('disables a user, whose refresh token is then refused, and enables them again', async () => {
    const config = await webClient(world.op);
    const { tokens } = await signIn(world.op, config, { scope: 'openid offline_access', prompt: 'consent' });
    expect(tokens.refresh_token).toBeTruthy();
    const { context, page } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer, undefined, '/console/users');
    await page.getByRole('link', { name: TEST_USER.username }).click();
    // The sessions show their browser as the API reports it: openid-client's sign-in names none; the peer is loopback.
    const sessions = (await page.locator('#sessions .items > li').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(sessions.some((text) => /^A browser · 127\.0\.0\.x · last seen \d{4}-\d{2}-\d{2} \d{2}:\d{2} · Signed in /.test(text))).toBe(true);
    await checkScreen(page, 'user-sessions');
    await page.locator('summary', { hasText: 'Disable' }).click();
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('User disabled.').waitFor();
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('User enabled.').waitFor();
    await context.close();
  });
});
