/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser). Flags from the
 * machine notes: no background networking, since this machine has no network beyond loopback.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe } from 'vitest';
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
