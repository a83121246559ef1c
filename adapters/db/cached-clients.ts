/** A read cache in front of the clients repository, for the provider's hot paths. */
import type { ClientRepository, StoredClient } from '../../server/modules/clients/index.js';

/**
 * Clients are read on every token, introspection and revocation request but change rarely; a
 * short in-process cache keeps those requests off the database. A change made by another
 * process (seed, admin API) is visible here within this many milliseconds.
 */
export const CLIENT_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

type Cached = { value: StoredClient | undefined; until: number };

/** Wraps a repository with the read cache; writes through this wrapper invalidate at once. */
export function cachedClients(clients: ClientRepository, now: () => number = Date.now): ClientRepository & { forget(clientId: string): void } {
  const cache = new Map<string, Cached>();
  let origins: { value: Promise<Set<string>>; until: number } | undefined;
  return {
    /** For writers that bypass this wrapper (the admin client store). */
    forget(clientId) {
      cache.delete(clientId);
      origins = undefined;
    },
    origins() {
      if (!origins || origins.until <= now()) {
        const value = clients.origins();
        origins = { value, until: now() + CLIENT_CACHE_MS };
        // A failed read must not be cached.
        value.catch(() => (origins = undefined));
      }
      return origins.value;
    },
    async find(clientId) {
      const hit = cache.get(clientId);
      if (hit && hit.until > now()) return hit.value;
      const value = await clients.find(clientId);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(clientId, { value, until: now() + CLIENT_CACHE_MS });
      return value;
    },
    // Invalidated after the write too: a read racing the write could have cached the old row.
    async save(client) {
      cache.delete(client.clientId);
      origins = undefined;
      await clients.save(client);
      cache.delete(client.clientId);
      origins = undefined;
    },
    async delete(clientId) {
      cache.delete(clientId);
      origins = undefined;
      await clients.delete(clientId);
      cache.delete(clientId);
      origins = undefined;
    },
  };
}
