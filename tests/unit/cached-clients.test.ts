/**
 * The client read cache (adapters/db/cached-clients.ts): concurrent misses of one client share
 * one read, a failed read is not cached, and a write during a read keeps that read's (old) row
 * out of the cache.
 */
import { describe, expect, it } from 'vitest';
import { cachedClients } from '../../adapters/db/cached-clients.js';
import type { ClientRepository, StoredClient } from '../../server/modules/clients/index.js';

/** A repository whose reads wait until released, so tests decide when each read answers. */
function gatedClients() {
  let row = { clientId: 'c1', version: 1 } as unknown as StoredClient;
  const gates: Array<{ release: () => void; fail: (error: Error) => void }> = [];
  let reads = 0;
  const repository: ClientRepository = {
    find: (clientId) => {
      reads += 1;
      const answer = { ...row };
      return new Promise((resolve, reject) => {
        gates.push({ release: () => resolve(clientId === answer.clientId ? answer : undefined), fail: reject });
      });
    },
    save: async (client) => void (row = client),
    delete: async () => undefined,
    list: async () => [],
    origins: async () => new Set(),
  };
  return { repository, gates, reads: () => reads, setRow: (next: StoredClient) => (row = next) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('cachedClients', () => {
  it('answers concurrent misses of one client with one read, then from the cache', async () => {
    const store = gatedClients();
    const cache = cachedClients(store.repository, () => 0);
    const finds = Array.from({ length: 5 }, () => cache.find('c1'));
    await settle();
    expect(store.reads()).toBe(1);
    store.gates[0]!.release();
    const found = await Promise.all(finds);
    expect(found.every((client) => client?.clientId === 'c1')).toBe(true);
    expect(await cache.find('c1')).toMatchObject({ clientId: 'c1' });
    expect(store.reads()).toBe(1);
  });

  it('does not keep a failed read: the next find reads again', async () => {
    const store = gatedClients();
    const cache = cachedClients(store.repository, () => 0);
    const failing = cache.find('c1');
    await settle();
    store.gates[0]!.fail(new Error('database unreachable'));
    await expect(failing).rejects.toThrow('database unreachable');
    const retry = cache.find('c1');
    await settle();
    expect(store.reads()).toBe(2);
    store.gates[1]!.release();
    expect(await retry).toMatchObject({ clientId: 'c1' });
  });

  it('does not cache a read that a write overtook', async () => {
    const store = gatedClients();
    const cache = cachedClients(store.repository, () => 0);
    const stale = cache.find('c1');
    await settle();
    await cache.save({ clientId: 'c1', version: 2 } as unknown as StoredClient);
    store.gates[0]!.release();
    expect(await stale).toMatchObject({ version: 1 });
    const fresh = cache.find('c1');
    await settle();
    expect(store.reads()).toBe(2);
    store.gates[1]!.release();
    expect(await fresh).toMatchObject({ version: 2 });
  });
});
