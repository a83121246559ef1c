/**
 * The test run's own rule (tests/helpers/run-stores.ts, service-checks.ts): TEST_STORES decides
 * which stores a run tests, CI=true must say so, a named store needs its URL and must answer,
 * and a suite for a store the run does not name is skipped with the reason in its name.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason, storesOfRun } from '../helpers/run-stores.js';
import { itWith, runStores } from '../helpers/stores.js';
import { chromiumProblem, postgresProblem, redisProblem, serviceProblems } from '../helpers/service-checks.js';

const PG = 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = 'redis://127.0.0.1:6379';

describe('storesOfRun', () => {
  it('TEST_STORES=postgres,redis names both and uses their URLs', () => {
    expect(storesOfRun({ TEST_STORES: 'postgres,redis', DATABASE_URL: PG, REDIS_URL: REDIS })).toEqual({ postgres: true, redis: true, databaseUrl: PG, redisUrl: REDIS, source: 'TEST_STORES' });
  });

  it('TEST_STORES=embedded ignores URLs set in the environment', () => {
    expect(storesOfRun({ TEST_STORES: 'embedded', DATABASE_URL: PG, REDIS_URL: REDIS, CI: 'true' })).toEqual({ postgres: false, redis: false, databaseUrl: undefined, redisUrl: undefined, source: 'TEST_STORES' });
  });

  it('a named store without its URL is refused, naming the variable', () => {
    expect(() => storesOfRun({ TEST_STORES: 'postgres,redis', REDIS_URL: REDIS })).toThrow('TEST_STORES=postgres,redis: postgres needs DATABASE_URL');
    expect(() => storesOfRun({ TEST_STORES: 'redis' })).toThrow('redis needs REDIS_URL');
  });

  it('refuses an unknown store and embedded mixed with a service', () => {
    expect(() => storesOfRun({ TEST_STORES: 'postgres,mysql', DATABASE_URL: PG })).toThrow('unknown store "mysql"');
    expect(() => storesOfRun({ TEST_STORES: 'embedded,redis', REDIS_URL: REDIS })).toThrow('"embedded" means no Postgres and no Redis');
  });

  it('without TEST_STORES a local run tests what the URLs give', () => {
    expect(storesOfRun({ DATABASE_URL: PG })).toEqual({ postgres: true, redis: false, databaseUrl: PG, redisUrl: undefined, source: 'DATABASE_URL/REDIS_URL' });
    expect(storesOfRun({})).toMatchObject({ postgres: false, redis: false });
  });

  it('CI=true without TEST_STORES is refused unless both URLs are given', () => {
    expect(() => storesOfRun({ CI: 'true' })).toThrow('CI=true: set TEST_STORES');
    expect(() => storesOfRun({ CI: 'true', DATABASE_URL: PG })).toThrow('CI=true: set TEST_STORES');
    expect(storesOfRun({ CI: 'true', DATABASE_URL: PG, REDIS_URL: REDIS })).toMatchObject({ postgres: true, redis: true });
  });
});

describe('skipReason', () => {
  it('is empty for stores the run names and names those it does not', () => {
    const run = storesOfRun({ TEST_STORES: 'redis', REDIS_URL: REDIS });
    expect(skipReason(run, ['redis'])).toBe('');
    expect(skipReason(run, [])).toBe('');
    expect(skipReason(run, ['postgres', 'redis'])).toBe(" (SKIPPED: postgres not in this run's stores, TEST_STORES)");
  });
});

describe('service checks', () => {
  // A port that accepts connections and closes them at once: a service that does not answer.
  let silent: Server;
  let port = 0;
  beforeAll(async () => {
    silent = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => silent.close(resolve));
  });

  it('report Postgres and Redis that do not answer, without the password', async () => {
    expect(await postgresProblem(`postgres://postgres:hunter2@127.0.0.1:${port}/test`)).toMatch(new RegExp(`^Postgres at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test does not answer: `));
    expect(await redisProblem(`redis://127.0.0.1:${port}`)).toMatch(new RegExp(`^Redis at redis://127\\.0\\.0\\.1:${port} does not answer: `));
  });

  itWith('postgres')('find the run\'s own Postgres answering', async () => {
    expect(await postgresProblem(runStores.databaseUrl!)).toBeUndefined();
  });

  itWith('redis')('find the run\'s own Redis answering', async () => {
    expect(await redisProblem(runStores.redisUrl!)).toBeUndefined();
  });

  it('report a missing Chromium, naming CHROMIUM_PATH', async () => {
    expect(await chromiumProblem('/nonexistent/chromium')).toBe('no executable Chromium at /nonexistent/chromium (set CHROMIUM_PATH)');
  });

  it('report every problem at once, and check only what the run names', async () => {
    const run = storesOfRun({ TEST_STORES: 'postgres,redis', DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`, REDIS_URL: `redis://127.0.0.1:${port}` });
    const problems = await serviceProblems(run, { needed: true, path: '/nonexistent/chromium' });
    expect(problems).toHaveLength(3);
    expect(await serviceProblems(storesOfRun({ TEST_STORES: 'embedded', DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` }), { needed: false, path: '/nonexistent/chromium' })).toEqual([]);
  });
});
