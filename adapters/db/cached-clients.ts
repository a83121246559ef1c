/** A read cache in front of the clients repository, for the provider's hot paths. */
import type { ClientRepository, StoredClient } from '../../server/modules/clients/index.js';

/**
 * Clients are read on every token, introspection and revocation request but change rarely; a
 * short in-process cache keeps those requests off the database. Changes made by another process
 * are announced (adapters/redis/cache-invalidation.ts) and dropped at once; this TTL bounds
 * staleness only when an announcement cannot reach this process.
 */
export const CLIENT_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

type Cached = { value: StoredClient | undefined; until: number };

/**
 * Wraps a repository with the read cache; writes through this wrapper invalidate at once.
 * @param options.onChange called after every write through the wrapper (to announce it to other processes).
 */
export function cachedClients(
  clients: ClientRepository,
  now: () => number = Date.now,
  options: { ttlMs?: number; onChange?: (clientId: string) => void } = {},
): ClientRepository & { forget(clientId: string | undefined): void } {
  const ttl = options.ttlMs ?? CLIENT_CACHE_MS;
  const changed = options.onChange ?? (() => undefined);
  const cache = new Map<string, Cached>();
  const loading = new Map<string, Promise<StoredClient | undefined>>();
  let origins: { value: Promise<Set<string>>; until: number } | undefined;
  return {
    /** For writers that bypass this wrapper (the admin client store) and other processes' announcements; undefined: all. */
    forget(clientId) {
      if (clientId === undefined) {
        cache.clear();
        loading.clear();
      } else {
        cache.delete(clientId);
        loading.delete(clientId);
      }
      origins = undefined;
    },
    origins() {
      if (!origins || origins.until <= now()) {
        const value = clients.origins();
        origins = { value, until: now() + ttl };
        // A failed read must not be cached.
        value.catch(() => (origins = undefined));
      }
      return origins.value;
    },
    // Listing is for operators, never a hot path: always fresh.
    list: () => clients.list(),
    async find(clientId) {
      const hit = cache.get(clientId);
      if (hit && hit.until > now()) return hit.value;
      // Concurrent misses of one client (every request in flight when its entry expires) share one read.
      const pending = loading.get(clientId);
      if (pending) return pending;
      const read = clients.find(clientId);
      loading.set(clientId, read);
      try {
        const value = await read;
        // A write or announcement during the read forgot the client (and this read): not cached.
        if (loading.get(clientId) === read) {
          if (cache.size >= CACHE_LIMIT) cache.clear();
          cache.set(clientId, { value, until: now() + ttl });
        }
        return value;
      } finally {
        if (loading.get(clientId) === read) loading.delete(clientId);
      }
    },
    // Invalidated after the write too: a read racing the write could have cached the old row.
    async save(client) {
      cache.delete(client.clientId);
      loading.delete(client.clientId);
      origins = undefined;
      await clients.save(client);
      cache.delete(client.clientId);
      loading.delete(client.clientId);
      origins = undefined;
      changed(client.clientId);
    },
    async delete(clientId) {
      cache.delete(clientId);
      loading.delete(clientId);
      origins = undefined;
      await clients.delete(clientId);
      cache.delete(clientId);
      loading.delete(clientId);
      origins = undefined;
      changed(clientId);
    },
  };
}
