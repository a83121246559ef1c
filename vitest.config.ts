import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Each test file gets its own database and Redis key prefix (tests/helpers), so files run
    // side by side. Four forks on two cores: measured, the suite keeps the cores only about half
    // busy with two (a file spends much of its time waiting: Chromium, TOTP steps, back-off
    // windows, timers), and four cut a mixed integration subset from 133 s to 94 s of wall time.
    pool: 'forks',
    // Decides the stores of the run (TEST_STORES) and fails it at once when a named service, or
    // Chromium under CI=true, is missing: tests never pass by skipping.
    globalSetup: ['tests/helpers/global-setup.ts'],
    maxWorkers: 4,
    testTimeout: 30_000,
    // A provider's start-up hook on embedded PGlite (the embedded CI leg) migrates and seeds a
    // fresh database per file: give it room on a busy two-core machine.
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
