/**
 * The console's Webhooks and Audit log screens in Chromium: a webhook created in the console
 * (secret shown once) receives a delivery, which shows as delivered and can be replayed; the
 * audit log filters by type, shows a record's detail, exports NDJSON, and "verify chain" says
 * intact — and names the record after it was altered in the database.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, describeInChromium, hasChromium, launchChromium } from '../../helpers/chromium.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { checkScreen, consoleSeed, openConsolePage, signInToConsole } from './support.js';

// Whole screens driven end to end, on a loaded two-core machine and on embedded PGlite.
vi.setConfig({ testTimeout: 120_000 });

let op: TestProvider;
let browser: Browser;
let receiver: WebhookReceiver;

beforeAll(async () => {
  if (!hasChromium) return;
  receiver = await startWebhookReceiver();
  // Deliveries to a receiver on loopback, polled every second.
  op = await startTestProvider({ seed: consoleSeed(), env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', OUTBOX_POLL_INTERVAL: '1', OUTBOX_RETRY_BASE: '1' } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
  await receiver?.close();
});

describeInChromium(`console webhooks and audit log in Chromium (${chromiumPath})`, () => {
  it('creates a webhook, sees its delivery and replays it', async () => {
    const { context, page, csp } = await openConsolePage(browser);
    await signInToConsole(page, op.issuer, undefined, '/console/webhooks');
    await page.getByRole('heading', { name: 'Webhooks' }).waitFor();
    await checkScreen(page, 'webhooks');
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByLabel('Event types').fill('admin.user.created');
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    await page.getByRole('heading', { name: 'Webhook added' }).waitFor();
    expect((await page.locator('#secret').textContent())!).toMatch(/^whsec_/);
    await page.getByRole('link', { name: 'Continue' }).click();
    const hookUrl = page.url();

    // Something the webhook listens to: a user created in the console.
    await page.goto(`${op.issuer}/console/users`);
    await page.getByLabel('Username', { exact: true }).fill('hooked');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('User hooked created.').waitFor();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(receiver.received[0]!.body).toContain('admin.user.created');

    await page.goto(hookUrl);
    await expect.poll(async () => {
      await page.reload();
      return page.getByText('delivered', { exact: true }).count();
    }, { timeout: 20_000 }).toBe(1);
    await checkScreen(page, 'webhook');
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('Queued for delivery again.').waitFor();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(csp).toEqual([]);
    await context.close();
  });

  it('filters the audit log, shows a record, exports NDJSON and verifies the chain', async () => {
    await op.running.container.compliance.trail.flush();
    const { context, page, csp } = await openConsolePage(browser);
    await signInToConsole(page, op.issuer, undefined, '/console/audit');
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByLabel('Type').fill('admin.user.created');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.locator('.records summary').first().waitFor();
    const types = await page.locator('.records summary code').allTextContents();
    expect(types.length).toBeGreaterThanOrEqual(1);
    expect(new Set(types)).toEqual(new Set(['admin.user.created']));
    await page.locator('.records summary').first().click();
    await checkScreen(page, 'audit');

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Export (NDJSON)' }).click();
    const file = await (await download).createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of file) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; hash: string });
    expect(lines.length).toBe(types.length);
    expect(lines.every((l) => l.type === 'admin.user.created' && /^[0-9a-f]{64}$/.test(l.hash))).toBe(true);

    // A filter the API refuses is shown, not a 500.
    await page.goto(`${op.issuer}/console/audit?type=no.such.type`);
    await page.getByText('A filter was refused').waitFor();

    await page.goto(`${op.issuer}/console/audit`);
    await page.getByRole('link', { name: 'Verify chain' }).click();
    await page.getByText(/The chain is intact: \d+ records checked/).waitFor();
    await checkScreen(page, 'audit-verify');

    const { knex } = op.running.container.database;
    await knex.raw('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
    await knex.raw("UPDATE audit_records SET actor_id = 'mallory' WHERE seq = 3");
    await page.getByRole('link', { name: 'Verify again' }).click();
    await page.getByText('The chain is broken at record #3').waitFor();
    await checkScreen(page, 'audit-verify-broken');
    expect(csp).toEqual([]);
    await context.close();
  });
});
