import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Integration suites start real servers, CLI processes and Chromium and hash passwords with
    // argon2: two cores, so two forks (four were measured no faster on the whole suite and made
    // CLI-spawning tests time out); each test file gets its own database and Redis key prefix
    // (tests/helpers).
    pool: 'forks',
    // Decides the stores of the run (TEST_STORES) and fails it at once when a named service, or
    // Chromium under CI=true, is missing: tests never pass by skipping.
    globalSetup: ['tests/helpers/global-setup.ts'],
    maxWorkers: 2,
    // Test files in one fork share its loaded modules instead of importing oidc-provider, Koa and
    // our server anew per file: the whole suite on Postgres + Redis 903 s -> 686 s on two cores (no
    // test mocks modules or changes process state another file reads; each file makes its own
    // servers, database and key prefix).
    isolate: false,
    testTimeout: 30_000,
    // A provider's start-up hook on embedded PGlite (the embedded CI leg) migrates and seeds a
    // fresh database per file: give it room on a busy two-core machine.
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
