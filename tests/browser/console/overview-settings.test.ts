/**
 * The console's Overview and Settings screens in Chromium, and the console in German: the
 * overview counts the day's sign-ins from the audit trail and shows active sessions, outbox
 * depth, dead letters and the audit chain status as the database holds them; settings show the effective
 * configuration with secrets redacted; with CONSOLE_MFA_REQUIRED the sign-in asks for a second
 * factor (enrolment) before the console opens.
 */
import { expect, it } from 'vitest';
import { chromiumPath, describeInChromium } from '../../helpers/chromium.js';
import { ADMIN, checkScreen, consoleWorld, openConsolePage, signInToConsole } from './support.js';

const world = consoleWorld();

describeInChromium(`console overview and settings in Chromium (${chromiumPath})`, () => {
  it('shows the overview with the day\'s sign-ins and the settings with secrets redacted', async () => {
    const { context, page, csp } = await openConsolePage(world.browser);
    await signInToConsole(page, world.op.issuer);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await world.op.running.container.compliance.trail.flush();
    await page.reload();
    const signIns = page.locator('figure:has(figcaption:text-is("Sign-ins")) .value');
    expect(Number(await signIns.textContent())).toBeGreaterThanOrEqual(1);

    // Known outbox rows (not due for a day, so the worker leaves them), then the figures as stored.
    const { knex } = world.op.running.container.database;
    const rows = [
      { id: 'overview-pending-1', status: 'pending' },
      { id: 'overview-dead-1', status: 'dead' },
      { id: 'overview-dead-2', status: 'dead' },
    ].map((r) => ({ ...r, kind: 'email', topic: 'overview-test', payload_sealed: 'x', max_attempts: 1, next_attempt_at: new Date(Date.now() + 86_400_000) }));
    await knex('outbox_messages').insert(rows);
    const stored = async (status: string[]) => Number(((await knex('outbox_messages').whereIn('status', status).count({ n: '*' })) as Array<{ n: string | number }>)[0]!.n);
    const live = Number(
      ((await knex('oidc_payloads').where({ model: 'Session' }).andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', knex.fn.now())).count({ n: '*' })) as Array<{ n: string | number }>)[0]!.n,
    );
    expect(live).toBeGreaterThanOrEqual(1);
    // Verify the chain first, so the overview reports that walk with its count.
    await page.goto(`${world.op.issuer}/console/audit/verify`);
    const verified = Number((await page.locator('p.notice[role=status]').textContent())!.match(/\d+/)![0]);
    await page.goto(`${world.op.issuer}/console`);
    const value = (id: string) => page.locator(`#stat-${id} .value`).textContent();
    expect(Number(await value('sessions'))).toBe(live);
    expect(Number(await value('outbox'))).toBe(await stored(['pending', 'processing']));
    expect(Number(await value('dead'))).toBe(await stored(['dead']));
    expect(Number(await value('dead'))).toBeGreaterThanOrEqual(2);
    expect(await value('audit')).toContain('Intact');
    expect(await page.locator('#stat-audit small').textContent()).toContain(`${verified} records checked at`);
    await checkScreen(page, 'overview');
    await knex('outbox_messages').whereIn('id', rows.map((r) => r.id)).delete();

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const html = await page.content();
    expect(html).toContain(world.op.issuer);
    expect(html).not.toContain(world.op.env.COOKIE_KEYS!);
    expect(html).not.toContain(world.op.env.KEY_ENCRYPTION_KEY!);
    expect(await page.locator('dt', { hasText: /^cookieKeys$/ }).locator('xpath=following-sibling::dd[1]').textContent()).toContain('secret, set');
    await checkScreen(page, 'settings');
    expect(csp).toEqual([]);
    await context.close();
  });

  it('speaks German', async () => {
    const { context, page } = await openConsolePage(world.browser, { locale: 'de-DE' });
    await page.goto(`${world.op.issuer}/console/users`);
    await page.locator('input[name=login], input[autocomplete=username]').first().fill(ADMIN.username);
    await page.locator('input[type=password]').first().fill(ADMIN.password);
    await page.locator('button[type=submit]').first().click();
    await page.getByRole('heading', { name: 'Benutzer', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Übersicht' }).count()).toBe(1);
    await checkScreen(page, 'users-de');
    await context.close();
  });

  it('asks for a second factor when CONSOLE_MFA_REQUIRED', async () => {
    await world.op.restart({ CONSOLE_MFA_REQUIRED: 'true' });
    const { context, page } = await openConsolePage(world.browser);
    await page.goto(`${world.op.issuer}/console`);
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
