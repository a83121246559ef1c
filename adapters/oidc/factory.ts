/**
 * The adapter factory handed to oidc-provider: routes each model to its store by the one table
 * in models.ts. Without Redis, ephemeral models go to the database too.
 */
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { Adapter } from 'oidc-provider';
import type { ClientRepository } from '../../server/modules/clients/index.js';
import { ClientStore } from './client-store.js';
import { ConfiguredInitialAccessTokens } from './initial-access-tokens.js';
import { GRANT_BOUND_MODELS, isModelName, MODEL_STORE } from './models.js';
import { RedisStore } from './redis-store.js';
import { requestMemoAdapter, REQUEST_MEMO_MODELS } from './request-memo.js';
import { SqlStore } from './sql-store.js';
import { sealingSuccessor } from './sealed-successor.js';
import type { SecretSealer } from '../crypto/envelope.js';
import { isStorableKey } from '../../server/shared/unicode.js';

export interface AdapterStores {
  knex: Knex;
  redis: Redis | undefined;
  redisKeyPrefix: string;
  /** Read through cachedClients (adapters/db/cached-clients.ts): clients are read on every token request. */
  clients: ClientRepository;
  /** CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS: the InitialAccessToken model answers from these. */
  initialAccessTokens?: readonly string[];
  /**
   * REFRESH_TOKEN_REUSE_WINDOW (s) and the sealer of the successor answers kept for it; without
   * them a refresh token consumed concurrently always revokes its grant.
   */
  refreshReuse?: { windowSeconds: number; sealer: SecretSealer };
}

export type AdapterFactory = (model: string) => Adapter;

/**
 * Lookups by a key no record can have (NUL, a lone surrogate, over-long: see isStorableKey) are
 * "not found" without a query, in every store: the database would answer them with an error,
 * and oidc-provider would turn that into a 500 for an unauthenticated request (client_id=%00 at
 * /auth, /token, /session/end; token=%00 at introspection and revocation; refresh_token=%00).
 */
export function refusingImpossibleKeys(adapter: Adapter): Adapter {
  return {
    upsert: (id, payload, expiresIn) => adapter.upsert(id, payload, expiresIn),
    find: async (id) => (isStorableKey(id) ? adapter.find(id) : undefined),
    findByUid: async (uid) => (isStorableKey(uid) ? adapter.findByUid(uid) : undefined),
    findByUserCode: async (userCode) => (isStorableKey(userCode) ? adapter.findByUserCode(userCode) : undefined),
    consume: async (id) => (isStorableKey(id) ? adapter.consume(id) : undefined),
    destroy: async (id) => (isStorableKey(id) ? adapter.destroy(id) : undefined),
    revokeByGrantId: async (grantId) => (isStorableKey(grantId) ? adapter.revokeByGrantId(grantId) : undefined),
  };
}

export function createAdapterFactory(stores: AdapterStores): AdapterFactory {
  const { clients } = stores;
  // What oidc-provider's own revoke() does on a sequential reuse, for the concurrent case the
  // stores detect: every token of the grant, in whichever store it lives, and the grant itself.
  const revokeGrant = (grantId: string) => revokeGrantEverywhere(adapterFor, grantId);
  const adapterFor = (model: string): Adapter => {
    const adapter = refusingImpossibleKeys(storeFor(model));
    return REQUEST_MEMO_MODELS.has(model) ? requestMemoAdapter(model, adapter) : adapter;
  };
  const storeFor = (model: string): Adapter => {
    if (!isModelName(model)) throw new Error(`no store is routed for oidc-provider model ${model}`);
    const kind = MODEL_STORE[model];
    if (kind === 'clients') return new ClientStore(clients);
    // Initial access tokens are configuration, not records (initial-access-tokens.ts).
    if (model === 'InitialAccessToken') return new ConfiguredInitialAccessTokens(stores.initialAccessTokens ?? []);
    if (kind === 'ephemeral' && stores.redis) return new RedisStore(stores.redis, model, stores.redisKeyPrefix, revokeGrant);
    if (model === 'RefreshToken' && stores.refreshReuse) {
      return sealingSuccessor(new SqlStore(stores.knex, model, revokeGrant, stores.refreshReuse.windowSeconds), stores.refreshReuse.sealer);
    }
    return new SqlStore(stores.knex, model, revokeGrant);
  };
  return adapterFor;
}

/**
 * Revokes a grant as oidc-provider's grant revocation does: every token issued under it, in
 * whichever store its model lives, then the grant itself.
 */
export async function revokeGrantEverywhere(adapterFor: AdapterFactory, grantId: string): Promise<void> {
  await Promise.all([...GRANT_BOUND_MODELS].map((model) => adapterFor(model).revokeByGrantId(grantId)));
  await adapterFor('Grant').destroy(grantId);
}

/** Which store each model uses in this deployment, for the startup log. */
export function describeRouting(stores: Pick<AdapterStores, 'redis'>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(MODEL_STORE).map(([model, kind]) => [model, kind === 'ephemeral' && stores.redis ? 'redis' : kind === 'clients' ? 'clients table' : 'database']),
  );
}
