/**
 * Redis behind Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME): a primary, a replica and a
 * sentinel from Debian's redis-server on free ports in a temp directory. The primary is failed
 * over under token traffic; once the sentinel reports the new primary, the provider carries on
 * with no 5xx, and tokens issued before the failover are still known (they were replicated).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith, redisUrl } from '../../helpers/stores.js';
import { SERVICE_CLIENT, WEB_CLIENT, freePort, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { basic, postForm } from '../protocol/support.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'oidc-sentinel-'));
const children: ChildProcess[] = [];
let ports: { primary: number; replica: number; sentinel: number };
let op: TestProvider;

function redisServer(args: string[]): ChildProcess {
  const child = spawn('redis-server', args, { cwd: dir, stdio: 'ignore' });
  children.push(child);
  return child;
}

async function until<T>(ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sentinel = () => new Redis({ port: ports.sentinel, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
async function askSentinel<T>(...args: [string, ...string[]]): Promise<T> {
  const connection = sentinel();
  // A sentinel still starting refuses; `until` retries, and ioredis must not print the refusal.
  connection.on('error', () => undefined);
  try {
    await connection.connect();
    return (await connection.call(...args)) as T;
  } finally {
    connection.disconnect();
  }
}
const primaryPort = async () => Number((await askSentinel<string[]>('SENTINEL', 'get-master-addr-by-name', 'mymaster'))[1]);

beforeAll(async () => {
  // A Redis feature: runs when this run tests Redis (TEST_STORES), skipped visibly otherwise.
  if (!redisUrl) return;
  if (!hasRedisServer) throw new Error('redis-server is not installed: the Sentinel test starts its own primary, replica and sentinel');
  if (!hasRedisServer) return;
  ports = { primary: await freePort(), replica: await freePort(), sentinel: await freePort() };
  const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  redisServer(['--port', String(ports.primary), ...common]);
  redisServer(['--port', String(ports.replica), '--replicaof', '127.0.0.1', String(ports.primary), ...common]);
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${ports.sentinel}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor mymaster 127.0.0.1 ${ports.primary} 1`,
      'sentinel down-after-milliseconds mymaster 1000',
      'sentinel failover-timeout mymaster 5000',
      '',
    ].join('\n'),
  );
  redisServer([config, '--sentinel']);
  // The sentinel must know the replica before it can fail over to it.
  await until(20_000, async () => ((await askSentinel<unknown[]>('SENTINEL', 'replicas', 'mymaster')).length > 0 ? true : undefined));
  op = await startTestProvider({
    env: {
      REDIS_URL: `redis://127.0.0.1:${ports.primary}`,
      REDIS_SENTINELS: `127.0.0.1:${ports.sentinel}`,
      REDIS_SENTINEL_NAME: 'mymaster',
    },
  });
}, 90_000);

afterAll(async () => {
  await op?.stop();
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const token = () => postForm(`${op.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic(SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret) });
const introspect = (value: string) => postForm(`${op.issuer}/token/introspection`, { token: value }, { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });

describeWith('redis')('Redis Sentinel failover', () => {
  it('finds the primary through the sentinel and serves with no 5xx once a failover completes', async () => {
    const before = await token();
    expect(before.status).toBe(200);
    const issued = String(before.body.access_token);
    // The token was written to the primary; wait until the replica has it too.
    const replica = new Redis({ port: ports.replica, host: '127.0.0.1' });
    await until(10_000, async () => ((await replica.dbsize()) > 0 ? true : undefined));
    replica.disconnect();

    // Traffic during the failover: whatever these answer, the process must stay up and answer.
    let traffic = true;
    const during: number[] = [];
    const load = (async () => {
      while (traffic) during.push((await token()).status);
    })();
    await askSentinel('SENTINEL', 'FAILOVER', 'mymaster');
    await until(30_000, async () => ((await primaryPort()) === ports.replica ? true : undefined));
    // The provider follows the switch. ioredis may move once more after its first success (the
    // sentinels' +switch-master announcement, or a READONLY reply from the demoted primary, can
    // arrive after a command already reached the new one): the failover is complete for the
    // provider once it answers a run of requests in a row; from then on, nothing may fail.
    let streak = 0;
    await until(30_000, async () => {
      streak = (await token()).status === 200 ? streak + 1 : 0;
      return streak >= 10 ? true : undefined;
    });
    traffic = false;
    await load;
    expect(during.length).toBeGreaterThan(0);
    expect(during.every((status) => status === 200 || status === 503)).toBe(true);

    const after: number[] = [];
    for (let i = 0; i < 20; i += 1) after.push((await token()).status);
    expect(after).toEqual(Array.from({ length: 20 }, () => 200));
    const known = await introspect(issued);
    expect(known.status).toBe(200);
    expect(known.body.active).toBe(true);
  });
});
