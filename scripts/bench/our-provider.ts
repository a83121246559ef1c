/**
 * Our provider for the benchmark: the real boot sequence, Postgres + Redis when DATABASE_URL /
 * REDIS_URL are set, else the embedded database in a temporary directory. Logging at warn and
 * the token rate limit lifted, so the benchmark measures the protocol path, not a 429.
 *
 * BENCH_MEMORY_SAMPLES=FILE (bench only): every 500 ms, one JSON line appended to FILE with
 * process.memoryUsage(), the V8 heap spaces' physical size and /proc/self/smaps_rollup (Rss, Anonymous, file-backed), in MiB, to see
 * where the resident memory goes under load (`--mixed` prints a summary of the file).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
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
const samples = process.env.BENCH_MEMORY_SAMPLES;
if (samples) {
  const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  const rollup = () => {
    try {
      const text = readFileSync('/proc/self/smaps_rollup', 'utf8');
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) / 1024;
      return { smapsRss: kb('Rss'), anonymous: kb('Anonymous'), fileBacked: kb('Rss') - kb('Anonymous') };
    } catch {
      return {};
    }
  };
  setInterval(() => {
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, mib(space.physical_space_size)]));
    const heap = { newSpace: spaces.new_space, oldSpace: spaces.old_space, codeSpace: spaces.code_space, largeObjectSpace: spaces.large_object_space };
    const line = { t: Date.now(), rss: mib(rss), heapTotal: mib(heapTotal), heapUsed: mib(heapUsed), external: mib(external), arrayBuffers: mib(arrayBuffers), ...heap, ...rollup() };
    appendFileSync(samples, `${JSON.stringify(line)}\n`);
  }, 500).unref();
}
process.stdout.write(`ready ${running.url} ${running.container.database.kind} ${running.container.redis ? 'redis' : 'no-redis'}\n`);
process.on('SIGTERM', () => void running.stop().then(() => process.exit(0)));
