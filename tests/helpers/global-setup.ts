/**
 * Vitest global setup: before any test file runs, decide the stores of this run (run-stores.ts)
 * and check that every service it names answers. Under CI=true Chromium must exist too. A
 * problem fails the whole run with one message naming it, so tests never pass by skipping.
 */
import { chromiumPath } from './chromium-path.js';
import { storesOfRun } from './run-stores.js';
import { serviceProblems } from './service-checks.js';

export default async function setup(): Promise<void> {
  const run = storesOfRun(process.env);
  const ci = process.env.CI === 'true';
  const problems = await serviceProblems(run, { needed: ci, path: chromiumPath });
  const named = [run.postgres ? 'postgres' : '', run.redis ? 'redis' : ''].filter(Boolean).join(',') || 'embedded';
  if (problems.length) {
    throw new Error(`test run stores ${named} (from ${run.source}${ci ? ', CI=true' : ''}):\n  - ${problems.join('\n  - ')}`);
  }
  console.log(`test stores: ${named} (from ${run.source})${ci ? '; Chromium checked' : ''}`);
}
