/** The subscription read cache: one read per window, filtered per event type; writes through it invalidate at once; failures are not cached. */
import { describe, expect, it } from 'vitest';
import { cachedSubscriptions, SUBSCRIPTION_CACHE_MS } from '../../adapters/db/cached-subscriptions.js';
import type { SubscriptionRepository, WebhookSubscription } from '../../server/modules/webhooks/index.js';

const sub = (id: string, eventTypes: string[]): WebhookSubscription => ({ id, url: 'https://x', description: '', eventTypes, active: true, version: 1, createdAt: new Date(0), updatedAt: new Date(0) });

function setup() {
  let clock = 0;
  let reads = 0;
  let rows = [sub('a', ['auth.lockout']), sub('b', ['auth.lockout', 'keys.rotated'])];
  let fail = false;
  const repository = { create: async () => sub('c', ['keys.rotated']), update: async () => sub('a', []), delete: async () => undefined } as unknown as SubscriptionRepository;
  const cache = cachedSubscriptions(
    repository,
    async () => {
      reads += 1;
      if (fail) throw new Error('db down');
      return rows;
    },
    () => clock,
  );
  return { cache, reads: () => reads, tick: (ms: number) => (clock += ms), setRows: (r: WebhookSubscription[]) => (rows = r), setFail: (f: boolean) => (fail = f) };
}

describe('cachedSubscriptions', () => {
  it('reads once per window and filters by event type', async () => {
    const t = setup();
    expect((await t.cache.subscribedTo('auth.lockout')).map((s) => s.id)).toEqual(['a', 'b']);
    expect((await t.cache.subscribedTo('keys.rotated')).map((s) => s.id)).toEqual(['b']);
    expect(t.reads()).toBe(1);
    t.tick(SUBSCRIPTION_CACHE_MS);
    await t.cache.subscribedTo('auth.lockout');
    expect(t.reads()).toBe(2);
  });

  it('forgets on a write through it', async () => {
    const t = setup();
    await t.cache.subscribedTo('keys.rotated');
    t.setRows([sub('c', ['keys.rotated'])]);
    await t.cache.create({ url: 'https://x', description: '', eventTypes: ['keys.rotated'], active: true }, 'whsec_x');
    expect((await t.cache.subscribedTo('keys.rotated')).map((s) => s.id)).toEqual(['c']);
  });

  it('does not cache a failed read', async () => {
    const t = setup();
    t.setFail(true);
    await expect(t.cache.subscribedTo('auth.lockout')).rejects.toThrow('db down');
    t.setFail(false);
    expect(await t.cache.subscribedTo('auth.lockout')).toHaveLength(2);
  });
});
