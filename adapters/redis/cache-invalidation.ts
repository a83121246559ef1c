/**
 * Tells every provider process that a cached record changed (a client's secret rotated, a client
 * or an API deleted, a webhook subscription edited), so in-process read caches drop it at once
 * instead of serving it until their TTL ends.
 *
 * With Redis: one pub/sub channel under the key prefix. A subscriber that lost its connection
 * may have missed messages, so on every reconnect each cache is told to forget everything.
 * Without Redis: announcements reach this process's caches only, which is all there is on the
 * embedded database (one process per data directory); several processes on one Postgres without
 * Redis rely on the caches' short TTL instead (see cacheTtlMs).
 */
import type { Redis } from 'ioredis';
import type { RedisStateLog } from './client.js';

export type CacheTopic = 'clients' | 'resource-servers' | 'subscriptions';

/** `key` undefined: forget every entry of the topic. */
export type Forget = (key: string | undefined) => void;

export interface CacheInvalidation {
  /** Every process (this one included) drops `key` of `topic` from its cache. Never throws. */
  announce(topic: CacheTopic, key?: string): Promise<void>;
  on(topic: CacheTopic, forget: Forget): void;
  close(): Promise<void>;
}

/** A cache's lifetime: long when changes are announced to every process, 1 s when they cannot be. */
export function cacheTtlMs(shared: { redis: boolean; singleProcess: boolean }): number {
  return shared.redis || shared.singleProcess ? 5_000 : 1_000;
}

function handlers() {
  const byTopic = new Map<CacheTopic, Forget[]>();
  return {
    add(topic: CacheTopic, forget: Forget) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), forget]);
    },
    run(topic: CacheTopic, key: string | undefined) {
      for (const forget of byTopic.get(topic) ?? []) forget(key);
    },
    runAll() {
      for (const [topic] of byTopic) this.run(topic, undefined);
    },
  };
}

export function localCacheInvalidation(): CacheInvalidation {
  const registry = handlers();
  return {
    async announce(topic, key) {
      registry.run(topic, key);
    },
    on: (topic, forget) => registry.add(topic, forget),
    close: async () => undefined,
  };
}

const TOPICS: readonly CacheTopic[] = ['clients', 'resource-servers', 'subscriptions'];

function parse(message: string): { topic: CacheTopic; key: string | undefined } | undefined {
  try {
    const value = JSON.parse(message) as { topic?: unknown; key?: unknown };
    const topic = TOPICS.find((t) => t === value.topic);
    if (!topic) return undefined;
    return { topic, key: typeof value.key === 'string' ? value.key : undefined };
  } catch {
    return undefined;
  }
}

export function redisCacheInvalidation(redis: Redis, keyPrefix: string, log: RedisStateLog): CacheInvalidation {
  const registry = handlers();
  const channel = `${keyPrefix}cache-invalidation`;
  // A connection in subscriber mode can do nothing else: its own, opened like the main one.
  const subscriber = redis.duplicate();
  let subscribedOnce = false;
  subscriber.on('error', () => undefined); // the main connection logs the outage; this one would repeat it
  subscriber.on('ready', () => {
    // ioredis re-subscribes on reconnect; whatever was announced meanwhile never reached us.
    if (subscribedOnce) registry.runAll();
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const parsed = parse(message);
    if (parsed) registry.run(parsed.topic, parsed.key);
  });
  const subscribed = subscriber.subscribe(channel).then(
    () => void (subscribedOnce = true),
    () => void (subscribedOnce = true),
  );
  return {
    async announce(topic, key) {
      // This process forgets at once, whatever happens to the message.
      registry.run(topic, key);
      try {
        await redis.publish(channel, JSON.stringify({ topic, ...(key === undefined ? {} : { key }) }));
      } catch (error) {
        // Redis is down: every other subscriber is disconnected too and forgets all on reconnect.
        log.warn({ component: 'cache-invalidation', topic, err: { type: (error as Error).name } }, 'cache invalidation not published');
      }
    },
    on: (topic, forget) => registry.add(topic, forget),
    async close() {
      await subscribed;
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
