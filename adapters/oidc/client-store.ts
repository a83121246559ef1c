/**
 * The Client model backed by the clients table, where shared secrets are encrypted at rest.
 * oidc-provider needs a client's secret in plaintext (client_secret_jwt and HS256 ID tokens are
 * keyed by it), so secrets are sealed with the key-encryption key rather than hashed.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
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
export function cachedClients(clients: ClientRepository, now: () => number = Date.now): ClientRepository {
  const cache = new Map<string, Cached>();
  let origins: { value: Promise<Set<string>>; until: number } | undefined;
  return {
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
    async save(client) {
      cache.delete(client.clientId);
      origins = undefined;
      await clients.save(client);
    },
    async delete(clientId) {
      cache.delete(clientId);
      origins = undefined;
      await clients.delete(clientId);
    },
  };
}

export class ClientStore implements Adapter {
  // The cache hands back the same StoredClient while it is fresh; its payload is built once.
  private readonly payloads = new WeakMap<StoredClient, AdapterPayload>();

  constructor(private readonly clients: ClientRepository) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.clients.find(id);
    if (!client) return undefined;
    let payload = this.payloads.get(client);
    if (!payload) {
      payload = { ...client.metadata, client_id: client.clientId, ...(client.secret ? { client_secret: client.secret } : {}) } as AdapterPayload;
      this.payloads.set(client, payload);
    }
    // A copy: oidc-provider may annotate what it is given.
    return { ...payload };
  }

  /** Dynamic registration (RFC 7591) writes here. */
  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    const { client_secret: secret, client_id: _id, ...metadata } = payload;
    await this.clients.save({ clientId: id, metadata, secret: typeof secret === 'string' ? secret : undefined, source: 'registration' });
  }

  async destroy(id: string): Promise<void> {
    await this.clients.delete(id);
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}
