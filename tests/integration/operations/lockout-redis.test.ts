/**
 * Lockout state lives in Redis whenever Redis is configured, never in one process's memory: two
 * processes' stores on one Redis see each other's blocks, and with Redis unreachable the store
 * fails (the sign-in answers 503) instead of counting in memory, which made a block enforced by
 * one process only and forgotten by all the others once Redis was back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackoffStore } from '../../../adapters/redis/backoff-store.js';
import { openRedis } from '../../../adapters/redis/client.js';
import { isStoreOutage } from '../../../server/shared/outage.js';
import { createTestRedis, redisUrl, type TestRedis } from '../../helpers/stores.js';
import { startTcpProxy, throughProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

const quiet = { warn: () => undefined, info: () => undefined };
let shared: TestRedis;
let proxy: TcpProxy;

beforeAll(async () => {
  if (!redisUrl) return;
  shared = await createTestRedis();
  const target = new URL(redisUrl);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
});
afterAll(async () => {
  await shared?.close();
  await proxy?.close();
});

describe.skipIf(!redisUrl)('lockout backoff store on Redis', () => {
  it('shares blocks between processes, and fails rather than counting in memory while Redis is cut', async () => {
    const settings = (url: string) => ({ url, sentinels: [], sentinelName: undefined, commandTimeoutMs: 2000 });
    const one = openRedis(settings(throughProxy(redisUrl!, proxy)), quiet);
    const two = openRedis(settings(redisUrl!), quiet);
    const options = { keyPrefix: `${shared.prefix}backoff:`, windowSeconds: 3600 };
    const a = createBackoffStore(one, options);
    const b = createBackoffStore(two, options);
    try {
      await a.block('pwd:alice', 900);
      expect(await b.blockedFor('pwd:alice')).toBeGreaterThan(800);

      proxy.cut();
      const failed = await a.recordFailure('pwd:bob').then(() => 'counted', (error: unknown) => error);
      expect(isStoreOutage(failed)).toBe(true);
      await expect(a.block('pwd:bob', 900)).rejects.toSatisfy(isStoreOutage);
      proxy.restore();
      // Nothing was remembered locally: once back, A and B agree there is no block for bob.
      for (let i = 0; i < 50 && one.status !== 'ready'; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await a.blockedFor('pwd:bob')).toBe(0);
      expect(await b.blockedFor('pwd:bob')).toBe(0);
      expect(await a.blockedFor('pwd:alice')).toBeGreaterThan(800);
    } finally {
      one.disconnect();
      two.disconnect();
    }
  });
});
