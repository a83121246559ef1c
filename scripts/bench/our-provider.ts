/**
 * Our provider for the benchmark: the real boot sequence, Postgres + Redis when DATABASE_URL /
 * REDIS_URL are set, else the embedded database in a temporary directory. Logging at warn and
 * the token rate limit lifted, so the benchmark measures the protocol path, not a 429.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../server/start.js';
import { benchSeed } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'oidc-bench-'));
const seedFile = join(dir, 'seed.json');
writeFileSync(seedFile, JSON.stringify(benchSeed()));
const port = process.env.PORT ?? '0';
const running = await startServer({
  env: {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: port,
    ISSUER: `http://127.0.0.1:${port}`,
    DATA_DIR: dir,
    SEED_FILE: seedFile,
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    // Given by run.ts, so `audit verify` can check the chain this run wrote.
    KEY_ENCRYPTION_KEY: process.env.BENCH_KEY_ENCRYPTION_KEY ?? randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    TOKEN_RATE_LIMIT: '1000000000',
    BOOTSTRAP_ADMIN: 'false',
    DEMO_CLIENTS: 'false',
    // The bench's code flow signs in with a password and goes straight to consent.
    PASSKEY_OFFER_ENABLED: 'false',
    REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}:`,
  },
});
process.stdout.write(`ready ${running.url} ${running.container.database.kind} ${running.container.redis ? 'redis' : 'no-redis'}\n`);
process.on('SIGTERM', () => void running.stop().then(() => process.exit(0)));
