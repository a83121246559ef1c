/**
 * Stage 1 of the composition root: the database (migrated or checked), Redis, and every adapter
 * that keeps state or secrets. Each table's adapter is created here once; later stages only
 * receive them. Nothing here decides behaviour.
 */
import type { Knex } from 'knex';
import type { Config } from '../../config/loader.js';
import { createCheckpointSigner } from '../../adapters/crypto/checkpoint-signer.js';
import { createCodeHasher } from '../../adapters/crypto/code-hasher.js';
import { createSecretSealer, type SecretSealer } from '../../adapters/crypto/envelope.js';
import { joseKeyGenerator } from '../../adapters/crypto/key-generator.js';
import { createArgon2Hasher } from '../../adapters/crypto/password-hasher.js';
import { createSecretDigester } from '../../adapters/crypto/secret-digester.js';
import { createAuditStore } from '../../adapters/db/audit-store.js';
import { cachedClients } from '../../adapters/db/cached-clients.js';
import { cachedSubscriptions } from '../../adapters/db/cached-subscriptions.js';
import { createClientsAdapter } from '../../adapters/db/clients.js';
import { createDeviceRepository } from '../../adapters/db/devices-repository.js';
import { createFederatedIdentityRepository } from '../../adapters/db/federated-identities-repository.js';
import { createFederationRequestRepository } from '../../adapters/db/federation-requests-repository.js';
import { createFlowRepository } from '../../adapters/db/flows-repository.js';
import { databaseFor, type Database } from '../../adapters/db/knex.js';
import { createMfaCredentialRepository } from '../../adapters/db/mfa-credentials-repository.js';
import { migrateToLatest, pendingMigrations } from '../../adapters/db/migrate.js';
import { createOutboxRepository } from '../../adapters/db/outbox-repository.js';
import { createPasskeyRepository } from '../../adapters/db/passkeys-repository.js';
import { createSessionDeviceRepository } from '../../adapters/db/session-devices-repository.js';
import { createWebAuthnChallengeRepository } from '../../adapters/db/webauthn-challenges-repository.js';
import { createResourceServersAdapter } from '../../adapters/db/resource-servers.js';
import { createRolesAdapter } from '../../adapters/db/roles.js';
import { createSigningKeyRepository } from '../../adapters/db/signing-keys-repository.js';
import { createSignInFlowRepository } from '../../adapters/db/sign-in-flows-repository.js';
import { createSmsChallengeRepository } from '../../adapters/db/sms-challenges-repository.js';
import { createTrustedDeviceRepository } from '../../adapters/db/trusted-devices-repository.js';
import { createUnitOfWork } from '../../adapters/db/unit-of-work.js';
import { createCredentialRepository, createUserRepository } from '../../adapters/db/users-repository.js';
import { requestMemoUsers } from '../../adapters/db/request-memo-users.js';
import { activeSubscriptions, createSubscriptionRepository } from '../../adapters/db/webhook-subscriptions-repository.js';
import { createAccountRecords } from '../../adapters/oidc/account-records.js';
import { createProviderArtifacts } from '../../adapters/oidc/account-artifacts.js';
import { createGrantFinder } from '../../adapters/oidc/account-grants.js';
import { cryptoRandom } from '../../adapters/crypto/random.js';
import { createLogoutAnnouncer } from '../modules/logout/index.js';
import { createAdapterFactory } from '../../adapters/oidc/factory.js';
import { createBackoffStore } from '../../adapters/redis/backoff-store.js';
import { openRedis } from '../../adapters/redis/client.js';
import { cacheTtlMs, localCacheInvalidation, redisCacheInvalidation } from '../../adapters/redis/cache-invalidation.js';
import { createRateLimiter } from '../../adapters/redis/rate-limiter.js';
import { createRedisWebAuthnChallenges } from '../../adapters/redis/webauthn-challenges.js';
import type { Logger } from '../shared/logger.js';
import type { SigningKeyDeps } from '../modules/keys/index.js';
import type { ResourceServerStore } from '../modules/permissions/index.js';
import { systemClock } from '../shared/clock.js';

/** Config whose development secrets are filled in (config/boot.ts). */
export type ResolvedConfig = Config & { cookieKeys: string[]; keyEncryptionKey: string };

export function resolved(config: Config): ResolvedConfig {
  const { cookieKeys, keyEncryptionKey } = config;
  if (!cookieKeys || !keyEncryptionKey) throw new Error('cookie keys and key-encryption key must be resolved before wiring');
  return { ...config, cookieKeys, keyEncryptionKey };
}

/**
 * The tables a seed writes, bound to one connection or transaction: the server and the CLI's
 * `seedTransaction` get them from here, so there is one place that names these adapters.
 */
export function seedTables(db: Knex, sealer: SecretSealer) {
  return {
    clients: createClientsAdapter(db, sealer),
    apis: createResourceServersAdapter(db),
    roles: createRolesAdapter(db),
    users: createUserRepository(db),
    credentials: createCredentialRepository(db),
  } as const;
}

/** The audit chain's table and checkpoint signer (also what `audit verify` checks). */
export function auditChain(db: Knex, keyEncryptionKey: string) {
  return { store: createAuditStore(db), signer: createCheckpointSigner(keyEncryptionKey) } as const;
}

/** The signing keys, sealed at rest (also what `keys rotate` rotates). */
export function signingKeys(db: Knex, sealer: SecretSealer): SigningKeyDeps {
  return { keys: createSigningKeyRepository(db, sealer), generator: joseKeyGenerator, clock: systemClock };
}

/** The admin API's resource server writer, announcing each change so every process's cache drops it. */
function announcingChanges(store: ResourceServerStore, changed: (identifier: string) => void): ResourceServerStore {
  return {
    listPage: (page) => store.listPage(page),
    find: (identifier) => store.find(identifier),
    create: (server, source) => store.create(server, source).finally(() => changed(server.identifier)),
    update: (identifier, versions, changes) => store.update(identifier, versions, changes).finally(() => changed(identifier)),
    delete: (identifier, versions) => store.delete(identifier, versions).finally(() => changed(identifier)),
  };
}

async function checkSchema(database: Database, logger: Logger, migrate: boolean): Promise<void> {
  if (migrate) {
    const applied = await migrateToLatest(database.knex);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    return;
  }
  const pending = await pendingMigrations(database.knex);
  if (pending.length) {
    await database.close();
    throw new Error(`the database schema is not up to date (${pending.length} pending migrations): run \`npm run migrate\` first`);
  }
}

/**
 * @param options.migrate apply pending migrations (development); otherwise refuse a stale schema.
 */
export async function openStores(config: ResolvedConfig, logger: Logger, options: { migrate: boolean }) {
  const database = databaseFor(config);
  await checkSchema(database, logger, options.migrate);
  const { knex } = database;
  const redis =
    config.redisUrl || config.redisSentinels.length
      ? openRedis({ url: config.redisUrl, sentinels: config.redisSentinels, sentinelName: config.redisSentinelName, commandTimeoutMs: config.redisCommandTimeoutMs }, logger)
      : undefined;
  const sealer = createSecretSealer(config.keyEncryptionKey);
  const tables = seedTables(knex, sealer);
  // Read caches drop a changed record on every process at once: announced over Redis pub/sub.
  const invalidation = redis ? redisCacheInvalidation(redis, config.redisKeyPrefix, logger) : localCacheInvalidation();
  const cacheTtl = cacheTtlMs({ redis: Boolean(redis), singleProcess: database.kind === 'pglite' });
  // Clients are read on every protocol request: cached briefly, and forgotten everywhere when an admin changes one.
  const clients = cachedClients(tables.clients, Date.now, { ttlMs: cacheTtl, onChange: (id) => void invalidation.announce('clients', id) });
  invalidation.on('clients', (id) => clients.forget(id));
  const subscriptions = cachedSubscriptions(createSubscriptionRepository(knex, sealer), () => activeSubscriptions(knex), Date.now, {
    ttlMs: cacheTtl,
    onChange: () => void invalidation.announce('subscriptions'),
  });
  invalidation.on('subscriptions', () => subscriptions.forget());
  const oidc = createAdapterFactory({ knex, redis, redisKeyPrefix: config.redisKeyPrefix, clients, initialAccessTokens: config.registration.initialAccessTokens,
    refreshReuse: { windowSeconds: config.refreshTokenReuseWindow, sealer },
  });
  const outbox = createOutboxRepository(knex, sealer);
  const logout = createLogoutAnnouncer({
    clients: { metadataOf: async (clientId) => (await clients.find(clientId))?.metadata },
    outbox,
    random: cryptoRandom,
    maxAttempts: config.delivery.outbox.maxAttempts,
  });
  return {
    database,
    redis,
    sealer,
    ...tables,
    // Read once per request: a sign-in's steps and findAccount ask for the same user.
    users: requestMemoUsers(tables.users),
    clients,
    /** Cross-process cache invalidation and the lifetime of a cached read without it. */
    invalidation,
    cacheTtl,
    hasher: createArgon2Hasher(config.argon2),
    keys: signingKeys(knex, sealer),
    /** The admin API's writers (versioned); the client writer drops the cached entry it changed. */
    admin: {
      clients: createClientsAdapter(knex, sealer),
      clientChanges: { changed: (clientId: string) => void invalidation.announce('clients', clientId) },
      apis: announcingChanges(createResourceServersAdapter(knex), (identifier) => void invalidation.announce('resource-servers', identifier)),
      roles: createRolesAdapter(knex),
    },
    oidc,
    accountRecords: createAccountRecords(knex, oidc, logout),
    artifacts: createProviderArtifacts(knex, oidc, logout),
    /** The account's newest grant for a client: consent remembered across browsers. */
    grants: createGrantFinder(knex),
    /** Queues back-channel logout tokens for the clients of each session that ends (modules/logout). */
    logout,
    audit: auditChain(knex, config.keyEncryptionKey),
    mfa: {
      credentials: createMfaCredentialRepository(knex),
      sms: createSmsChallengeRepository(knex),
      devices: createTrustedDeviceRepository(knex),
      codes: createCodeHasher(config.keyEncryptionKey),
    },
    /** Passkeys and their single-use WebAuthn challenges (in Redis when configured, else in the database). */
    passkeys: {
      credentials: createPasskeyRepository(knex),
      challenges: redis ? createRedisWebAuthnChallenges(redis, config.redisKeyPrefix) : createWebAuthnChallengeRepository(knex),
    },
    /** Pending sign-ins (server/modules/auth use-cases/sign-in.ts), kept for at most INTERACTION_TTL. */
    signInFlows: createSignInFlowRepository(knex),
    flows: createFlowRepository(knex),
    devices: createDeviceRepository(knex),
    /** The browser, coarse network and last seen of each provider session (the sessions lists). */
    sessionDevices: createSessionDeviceRepository(knex),
    digester: createSecretDigester(config.keyEncryptionKey),
    federation: { identities: createFederatedIdentityRepository(knex), requests: createFederationRequestRepository(knex) },
    outbox,
    subscriptions,
    unitOfWork: createUnitOfWork(knex),
    /** A Redis-backed budget (in-process without Redis), keyed under REDIS_KEY_PREFIX + name. */
    limiter: (name: string, points: number, windowSeconds: number) => createRateLimiter(redis, { points, windowSeconds, keyPrefix: `${config.redisKeyPrefix}${name}` }),
    backoff: (windowSeconds: number) => createBackoffStore(redis, { keyPrefix: `${config.redisKeyPrefix}backoff:`, windowSeconds }),
    async close() {
      await database.close();
      await invalidation.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  } as const;
}

export type Stores = Awaited<ReturnType<typeof openStores>>;
