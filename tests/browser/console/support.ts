/**
 * What the console's browser tests share: a provider with an administrator (role `admin`), a
 * Chromium page that records CSP violations, the sign-in through the console's own client, and
 * a screenshot + axe check at desktop and phone width.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium, screenshot } from '../../helpers/chromium.js';
import { defaultSeed, startTestProvider, type TestProvider } from '../../helpers/provider.js';

export const ADMIN = { username: 'console-admin', password: 'a long enough console password' };
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.x A/AA rules: @returns the ids (and first target) of the rules the page breaks. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${axeSource};0`);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => v.id + ' ' + JSON.stringify(v.nodes[0] && v.nodes[0].target)))`);
}

export function consoleSeed(): Record<string, unknown> {
  const seed = defaultSeed() as { users: Array<Record<string, unknown>> };
  seed.users.push({ username: ADMIN.username, password: ADMIN.password, email: 'console-admin@example.com', email_verified: true, roles: ['admin'] });
  return seed;
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  csp: string[];
}

export async function openConsolePage(browser: Browser, options: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? DESKTOP });
  const page = await context.newPage();
  const csp: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
  });
  return { context, page, csp };
}

/** Opens the console and signs in on the provider's sign-in page (code + PKCE behind it). */
export async function signInToConsole(page: Page, issuer: string, who: { username: string; password: string } = ADMIN, path = '/console'): Promise<void> {
  await page.goto(`${issuer}${path}`);
  await page.getByLabel('Username or email').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The callback redirects on success and answers a page itself when the sign-in is refused.
  await page.waitForURL((url) => url.pathname.startsWith('/console'));
  await page.waitForLoadState();
}

/** Screenshot at desktop and phone width, axe at both: 0 violations. @returns the screenshot paths. */
export async function checkScreen(page: Page, name: string): Promise<string[]> {
  const paths: string[] = [];
  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    expect(await axeViolations(page), `${name} at ${label} width`).toEqual([]);
    paths.push(await screenshot(page, `console-${name}-${label}`));
  }
  await page.setViewportSize(DESKTOP);
  return paths;
}

/** The provider and the browser of one console test file, started once for the file (consoleSeed). */
export interface ConsoleWorld {
  op: TestProvider;
  browser: Browser;
}

export function consoleWorld(env: Record<string, string> = {}): ConsoleWorld {
  // Whole screens driven end to end, on a loaded two-core machine and on embedded PGlite.
  vi.setConfig({ testTimeout: 120_000 });
  const world = {} as ConsoleWorld;
  beforeAll(async () => {
    if (!hasChromium) return;
    world.op = await startTestProvider({ seed: consoleSeed(), env });
    world.browser = await launchChromium();
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.op?.stop();
  });
  return world;
}
