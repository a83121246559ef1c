import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration suites start real servers and hash passwords with argon2: two cores, so two
    // forks; each test file gets its own database and Redis key prefix (tests/helpers).
    pool: 'forks',
    // Decides the stores of the run (TEST_STORES) and fails it at once when a named service, or
    // Chromium under CI=true, is missing: tests never pass by skipping.
    globalSetup: ['tests/helpers/global-setup.ts'],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
