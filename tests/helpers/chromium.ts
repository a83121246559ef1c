/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Flags from the
 * machine notes: no background networking, since this machine has no network beyond loopback.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { chromiumPath } from './chromium-path.js';

export { chromiumPath };
export const hasChromium = existsSync(chromiumPath);

/**
 * `describe` for a browser suite: skipped visibly (the reason in its name) when Chromium is
 * missing on a local run; under CI=true a missing Chromium has already failed the run
 * (global-setup.ts), so there it always runs.
 */
export function describeInChromium(name: string, body: () => void) {
  describe.skipIf(!hasChromium)(hasChromium ? name : `${name} (SKIPPED: no Chromium at ${chromiumPath})`, body);
}
export const screenshotDir = join(process.cwd(), 'test-results', 'screenshots');

/** @param extraArgs more Chromium switches (e.g. a host-resolver rule for http://localhost tests). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Saves a full-page screenshot under test-results/screenshots and prints its path for CI logs. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.x A/AA rules on the page as it is: @returns the ids of the rules it breaks.
 * Evaluated through the DevTools protocol, which the page's CSP (rightly) does not let a script tag do.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${axeSource};0`);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }).then((r) => r.violations.map((v) => v.id))`);
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * The page as people see it at desktop and phone width: a screenshot of each (`<name>-desktop`,
 * `<name>-phone`) and axe's violations at each. @returns the violations, `width: rule` each.
 */
export async function lookAtBothWidths(page: Page, name: string): Promise<string[]> {
  const violations: string[] = [];
  const original = page.viewportSize();
  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await screenshot(page, `${name}-${label}`);
    violations.push(...(await axeViolations(page)).map((rule) => `${label}: ${rule}`));
  }
  if (original) await page.setViewportSize(original);
  return violations;
}

/**
 * The page as it is now, at desktop and phone width: a full-page screenshot of each
 * (`<name>-desktop.png`, `<name>-phone.png`), axe with 0 violations at each, and no sideways
 * scrolling on the phone. The viewport the page had is restored afterwards.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await screenshot(page, `${name}-${width}`);
    expect({ page: name, width, violations: await axeViolations(page) }).toEqual({ page: name, width, violations: [] });
    if (width === 'phone') expect({ page: name, fits: await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') }).toEqual({ page: name, fits: true });
  }
  if (before) await page.setViewportSize(before);
}
