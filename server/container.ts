/**
 * The one place that builds adapters and hands them to use cases and HTTP code. Nothing here
 * decides behaviour; it only wires.
 */
import type { Redis } from 'ioredis';
import type { Provider } from 'oidc-provider';
import type { Config } from '../config/loader.js';
import { createSecretSealer } from '../adapters/crypto/envelope.js';
import { joseKeyGenerator } from '../adapters/crypto/key-generator.js';
import { createArgon2Hasher } from '../adapters/crypto/password-hasher.js';
import { createCheckpointSigner } from '../adapters/crypto/checkpoint-signer.js';
import { createAuditStore } from '../adapters/db/audit-store.js';
import { createPrometheusMetrics, type PrometheusMetrics } from '../adapters/metrics/prometheus.js';
import { createClientRepository } from '../adapters/db/clients-repository.js';
import { databaseFor, type Database } from '../adapters/db/knex.js';
import { migrateToLatest, pendingMigrations } from '../adapters/db/migrate.js';
import { createResourceServerRepository } from '../adapters/db/resource-servers-repository.js';
import { createRoleRepository } from '../adapters/db/roles-repository.js';
import { createRoleStore } from '../adapters/db/role-store.js';
import { createResourceServerStore } from '../adapters/db/resource-server-store.js';
import { createClientStore } from '../adapters/db/client-store.js';
import { createSigningKeyRepository } from '../adapters/db/signing-keys-repository.js';
import { createCredentialRepository, createUserRepository } from '../adapters/db/users-repository.js';
import { cachedClients } from '../adapters/db/cached-clients.js';
import { createAdapterFactory } from '../adapters/oidc/factory.js';
import { createAccountRecords } from '../adapters/oidc/account-records.js';
import { purgeExpired } from '../adapters/oidc/sql-store.js';
import { openRedis } from '../adapters/redis/client.js';
import { createRateLimiter } from '../adapters/redis/rate-limiter.js';
import { createBackoffStore } from '../adapters/redis/backoff-store.js';
import { createCodeHasher } from '../adapters/crypto/code-hasher.js';
import { createMfaCredentialRepository } from '../adapters/db/mfa-credentials-repository.js';
import { createSmsChallengeRepository } from '../adapters/db/sms-challenges-repository.js';
import { createTrustedDeviceRepository } from '../adapters/db/trusted-devices-repository.js';
import { otplibTotpEngine } from '../adapters/totp/otplib-engine.js';
import { svgQrCodes } from '../adapters/totp/qr-code.js';
import { randomBytes } from 'node:crypto';
import { createInteractionGateway } from '../interactions/gateway.js';
import { createAccountSessionGateway } from '../interactions/gateway.js';
import type { SelfServiceDeps } from '../account/index.js';
import { createSecretDigester, randomSecrets } from '../adapters/crypto/secret-digester.js';
import { createDeviceRepository } from '../adapters/db/devices-repository.js';
import { createFlowRepository, purgeFinishedFlows } from '../adapters/db/flows-repository.js';
import { createFederatedIdentityRepository } from '../adapters/db/federated-identities-repository.js';
import { createFederationRequestRepository } from '../adapters/db/federation-requests-repository.js';
import { createOpenIdUpstream } from '../adapters/upstream-oidc/openid-client.js';
import { createFederation, createLinkedIdentities, type LinkedIdentities } from './modules/federation/index.js';
import { createProviderArtifacts } from '../adapters/oidc/account-artifacts.js';
import { loadPasswordBlocklist } from '../adapters/wordlists/common-passwords.js';
import type { SelfServiceServices } from './modules/self-service/index.js';
import { ACCOUNT_CONSOLE_CLIENT_ID } from './modules/bootstrap/index.js';
import type { InteractionDeps } from '../interactions/index.js';
import type { Logger } from './shared/logger.js';
import type { TokenLimiters } from './http/middleware/token-rate-limit.js';
import { createTokenVerifier, publicJwks } from '../adapters/crypto/access-token-verifier.js';
import type { AdminApiDeps } from './http/routes/admin/index.js';
import type { ReadinessCheck } from './http/routes/health.js';
import { createTranslations } from '../adapters/i18n/i18next-translations.js';
import { createRenderer } from '../adapters/views/eta-renderer.js';
import { type Renderer } from './shared/rendering.js';
import { authenticatePassword, createMfaService, lockout, loginThrottle, type Lockout, type MfaService } from './modules/auth/index.js';
import type { AuditTrail } from './modules/compliance/index.js';
import { createAuditCompliance, type AuditCompliance } from './audit-wiring.js';
import type { Notifier } from './modules/notifications/index.js';
import { ADMIN_ROLE, applySeed, type ApplySeedDeps } from './modules/bootstrap/index.js';
import { createClientAdministration } from './modules/clients/index.js';
import { createResourceServerAdministration, createRoleAdministration } from './modules/permissions/index.js';
import { ensureSigningKeys, loadSigningKeys, rotateSigningKeys, type SigningKeyDeps } from './modules/keys/index.js';
import {
  changePassword,
  createAccountRecordAdministration,
  createUserAdministration,
  type UserRepository,
  type CredentialRepository,
  type PasswordHasher,
} from './modules/users/index.js';
import { subscribeProviderEvents } from './oidc/events.js';
import { pagesWith } from './oidc/pages.js';
import { buildProvider } from './oidc/provider.js';
import { cachedLookup } from './oidc/resource-servers.js';
import { systemClock } from './shared/clock.js';
import { keyRotationEvents } from './modules/compliance/index.js';
import { auditWithWebhooks, buildDelivery, type Delivery } from './delivery.js';
import { countingSignIns } from './sign-in-metrics.js';
import { createWebhookAdministration } from './modules/webhooks/index.js';
import { newId } from './shared/ids.js';

export interface Container {
  config: Config;
  logger: Logger;
  database: Database;
  redis: Redis | undefined;
  renderer: Renderer;
  audit: AuditTrail;
  /** The audit chain's operations: flush, verify, retention, search and export. */
  compliance: AuditCompliance;
  metrics: PrometheusMetrics;
  notifier: Notifier;
  /** Outbox, channels, worker, webhooks (server/delivery.ts). */
  delivery: Delivery;
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  keys: SigningKeyDeps;
  /** Second factors, enrolment, trusted devices (the sign-in and account pages use it). */
  mfa: MfaService;
  lockout: Lockout;
  seedDeps: ApplySeedDeps;
  provider(): Provider;
  /** Reloads signing keys; swaps in a new provider when the published set changed. */
  refreshKeys(): Promise<boolean>;
  rotateKeys(): ReturnType<typeof rotateSigningKeys>;
  purge(): Promise<number>;
  interactions: InteractionDeps;
  /** Sign-up, recovery and the account pages (account/). */
  selfService: SelfServiceDeps;
  /** Upstream identities linked to users (federation). */
  linkedIdentities: LinkedIdentities;
  tokenLimiters: TokenLimiters;
  isRegisteredOrigin(origin: string): Promise<boolean>;
  readiness: ReadinessCheck[];
  /** What the admin API (server/http/routes/admin) needs. */
  adminApi: AdminApiDeps;
  close(): Promise<void>;
}

/**
 * @param config with cookie keys and key-encryption key filled in.
 * @param options.migrate apply pending migrations (development); otherwise refuse to start on a stale schema.
 */
export async function buildContainer(config: Config, logger: Logger, options: { migrate: boolean; notifier?: Notifier }): Promise<Container> {
  if (!config.cookieKeys || !config.keyEncryptionKey) throw new Error('cookie keys and key-encryption key must be resolved before building the container');
  const database = databaseFor(config);
  const { knex } = database;
  if (options.migrate) {
    const applied = await migrateToLatest(knex);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
  } else {
    const pending = await pendingMigrations(knex);
    if (pending.length) {
      await database.close();
      throw new Error(`the database schema is not up to date (${pending.length} pending migrations): run \`npm run migrate\` first`);
    }
  }
  const redis = config.redisUrl ? openRedis(config.redisUrl) : undefined;
  const sealer = createSecretSealer(config.keyEncryptionKey);
  const users = createUserRepository(knex);
  const credentials = createCredentialRepository(knex);
  const clients = cachedClients(createClientRepository(knex, sealer));
  const apis = createResourceServerRepository(knex);
  const roles = createRoleRepository(knex);
  const hasher = createArgon2Hasher(config.argon2);
  const keys: SigningKeyDeps = { keys: createSigningKeyRepository(knex, sealer), generator: joseKeyGenerator, clock: systemClock };
  // Templates are re-read on every render only in development, where they are being edited.
  const translations = createTranslations();
  const renderer = createRenderer({ cache: config.env !== 'development', productName: 'Sign in', translations, logoUrl: config.brandLogoUrl });
  const metrics = createPrometheusMetrics({ processMetrics: config.metrics.enabled });
  const compliance = createAuditCompliance({ store: createAuditStore(knex), signer: createCheckpointSigner(config.keyEncryptionKey), logger, metrics, config });
  // The worker audits deliveries through the composed trail, which exists only once delivery does.
  let audit: AuditTrail = compliance.trail;
  const delivery = buildDelivery({ config, logger, knex, sealer, translations, audit: { record: (event) => audit.record(event) }, metrics });
  metrics.watchOutboxDepth(() => delivery.outbox.depth());
  // Every audit event is offered to webhook subscriptions after it is recorded.
  // ...and sign-in outcomes are counted for /metrics from the same events, so no route counts twice or forgets.
  audit = countingSignIns(auditWithWebhooks(compliance.trail, delivery.webhooks, logger), metrics);
  // Intents go to the outbox; in development without a channel the worker prints them to the log.
  const notifier: Notifier = options.notifier ?? delivery.notifier;
  const adapter = createAdapterFactory({ knex, redis, redisKeyPrefix: config.redisKeyPrefix, clients, initialAccessTokens: config.registration.initialAccessTokens });
  const mfa = createMfaService({
    enabled: config.mfa.enabled,
    credentials: createMfaCredentialRepository(knex),
    sms: createSmsChallengeRepository(knex),
    devices: createTrustedDeviceRepository(knex),
    users,
    totp: otplibTotpEngine,
    qr: svgQrCodes,
    box: sealer,
    hasher: createCodeHasher(config.keyEncryptionKey),
    random: (length) => randomBytes(length),
    notifier,
    audit,
    clock: systemClock,
    newId,
    issuerName: config.mfa.totpIssuer,
    trustedDeviceTtlMs: config.mfa.trustedDeviceTtlSeconds * 1000,
  });
  // Failures are remembered for an hour after the first of a series: long enough for the doubling
  // to reach its cap, short enough that an old typo does not count against tomorrow's sign-in.
  const signInLockout = lockout({ store: createBackoffStore(redis, { keyPrefix: `${config.redisKeyPrefix}backoff:`, windowSeconds: 3600 }), audit });
  const resourceServers = cachedLookup(apis);
  const pages = pagesWith(renderer);

  await ensureSigningKeys(keys);
  const makeProvider = async () => {
    const loaded = await loadSigningKeys(keys);
    const provider = buildProvider({ config, jwks: loaded.jwks, adapter, accounts: users, resourceServers, permissions: roles, pages });
    subscribeProviderEvents(provider, { logger, audit, metrics });
    // Built with the provider, so the admin API verifies tokens against exactly the keys it publishes.
    return { provider, version: loaded.version, publicJwks: publicJwks(loaded.jwks) };
  };
  let current = await makeProvider();

  const gateway = createInteractionGateway(() => current.provider);
  // NIST SP 800-63B policy with the shipped blocklist, for every password a person chooses.
  const passwordPolicy = { minLength: config.selfService.passwordMinLength, blocklist: loadPasswordBlocklist() };
  const interactions: InteractionDeps = {
    gateway,
    renderer,
    authenticate: (login, password) => authenticatePassword({ users, credentials, hasher }, login, password),
    throttle: loginThrottle({
      perAccountAndIp: createRateLimiter(redis, { ...config.loginFailures, keyPrefix: `${config.redisKeyPrefix}login-account` }),
      // Ten accounts' worth per address: a shared office NAT still signs in; a spray across accounts does not.
      perIp: createRateLimiter(redis, {
        points: config.loginFailures.points * 10,
        windowSeconds: config.loginFailures.windowSeconds,
        keyPrefix: `${config.redisKeyPrefix}login-ip`,
      }),
    }),
    changePassword: (userId, password) => changePassword({ users, credentials, hasher, policy: passwordPolicy }, userId, password),
    apiName: async (identifier) => (await resourceServers.find(identifier))?.name ?? identifier,
    username: async (accountId) => (await users.findById(accountId))?.username,
    mfa,
    lockout: signInLockout,
    audit,
    trustedDeviceDays: Math.round(config.mfa.trustedDeviceTtlSeconds / 86_400),
  };

  const accountRecords = createAccountRecords(knex, adapter);
  const tokenVerifier = createTokenVerifier({
    issuer: config.issuer,
    audience: config.adminApi.audience,
    keys: () => current.publicJwks,
    refresh: () => refreshKeys(),
  });
  const adminApi: AdminApiDeps = {
    issuer: config.issuer,
    audience: config.adminApi.audience,
    auth: {
      verify: (token) => tokenVerifier.verify(token),
      isActiveUser: async (id) => (await users.findById(id))?.disabled === false,
    },
    audit,
    users: createUserAdministration({ users, credentials, hasher, roles, records: accountRecords, audit }),
    accountRecords: createAccountRecordAdministration({ users, records: accountRecords, audit }),
    roles: createRoleAdministration({ roles: createRoleStore(knex), apis, audit, protectedRoles: [ADMIN_ROLE] }),
    resourceServers: createResourceServerAdministration({
      apis: createResourceServerStore(knex),
      audit,
      keyRotationOverlap: config.keyRotationOverlap,
      protectedApis: [config.adminApi.audience],
    }),
    clients: createClientAdministration({
      clients: createClientStore(knex, sealer, (clientId) => clients.forget(clientId)),
      apis,
      audit,
      validateClientMetadata: async (metadata) => void (await current.provider.Client.validate(metadata as never)),
    }),
    auditLog: compliance,
    webhooks: createWebhookAdministration({ subscriptions: delivery.subscriptions, endpoints: delivery.endpoints, outbox: delivery.outbox, audit }),
  };
  async function refreshKeys() {
    const loaded = await loadSigningKeys(keys);
    if (loaded.version === current.version) return false;
    current = await makeProvider();
    logger.info({ keys: loaded.version }, 'signing keys changed; provider reloaded');
    return true;
  }
  const selfServiceLimiter = (points: number, name: string) =>
    createRateLimiter(redis, { points, windowSeconds: config.selfService.windowSeconds, keyPrefix: `${config.redisKeyPrefix}selfservice-${name}` });
  const selfServiceServices: SelfServiceServices = {
    users,
    credentials,
    hasher,
    policy: passwordPolicy,
    flows: createFlowRepository(knex),
    devices: createDeviceRepository(knex),
    digester: createSecretDigester(config.keyEncryptionKey),
    secrets: randomSecrets,
    notifier,
    audit,
    clock: systemClock,
    artifacts: createProviderArtifacts(knex, adapter),
    // A reset is what people do after a compromise: devices trusted to skip MFA are forgotten too.
    trustedDevices: { forgetAll: (userId, facts) => mfa.revokeAllTrustedDevices(userId, facts) },
    settings: { issuer: config.issuer, verificationTtl: config.selfService.verificationTtl, resetTtl: config.selfService.resetTtl },
    limits: {
      messagesPerAddress: selfServiceLimiter(config.selfService.messageLimit, 'address'),
      // Ten addresses' worth per IP: a shared NAT still works; one host cannot mail-bomb many.
      messagesPerIp: selfServiceLimiter(config.selfService.messageLimit * 10, 'ip'),
      codeAttemptsPerIp: selfServiceLimiter(config.selfService.codeLimit, 'codes'),
    },
  };
  const selfService: SelfServiceDeps = {
    renderer,
    gateway,
    sessions: createAccountSessionGateway(() => current.provider),
    services: selfServiceServices,
    mfa,
    options: {
      registration: config.selfService.registration,
      passwordMinLength: config.selfService.passwordMinLength,
      reauthWindowSeconds: config.selfService.reauthWindow,
      accountClientId: ACCOUNT_CONSOLE_CLIENT_ID,
      issuer: config.issuer,
    },
  };

  interactions.selfService = { renderer, services: selfServiceServices, registration: config.selfService.registration };

  // Sign-in with upstream OpenID Providers (Google, corporate SSO): interactions/federation.ts.
  const federationRequests = createFederationRequestRepository(knex);
  const federatedIdentities = createFederatedIdentityRepository(knex);
  const linkedIdentities = createLinkedIdentities({ identities: federatedIdentities, credentials, audit });
  if (config.federation.providers.length) {
    interactions.federation = createFederation({
      providers: config.federation.providers.map(({ id, name, brand }) => ({ id, name, brand })),
      upstream: createOpenIdUpstream({ providers: config.federation.providers, redirectUri: `${config.issuer}/federation/callback`, allowHttpIssuers: config.federation.allowHttpIssuers }),
      identities: federatedIdentities,
      requests: federationRequests,
      users,
      credentials,
      hasher,
      audit,
      clock: systemClock,
      policy: config.federation,
      requestTtlSeconds: config.ttl.interaction,
      // As generous as the password form's per-IP budget: a shared office NAT still signs in.
      startsPerIp: createRateLimiter(redis, {
        points: config.loginFailures.points * 10,
        windowSeconds: config.loginFailures.windowSeconds,
        keyPrefix: `${config.redisKeyPrefix}federation-start`,
      }),
    });
  }
  selfService.federation = { federation: interactions.federation, linked: linkedIdentities };

  const readiness: ReadinessCheck[] = [{ name: 'database', check: async () => void (await knex.raw('SELECT 1')) }];
  if (redis) readiness.push({ name: 'redis', check: async () => void (await redis.ping()) });

  return {
    config,
    logger,
    database,
    redis,
    renderer,
    audit,
    compliance,
    metrics,
    notifier,
    delivery,
    users,
    credentials,
    hasher,
    keys,
    mfa,
    lockout: signInLockout,
    seedDeps: {
      clients,
      apis,
      roles,
      keyRotationOverlap: config.keyRotationOverlap,
      users,
      credentials,
      hasher,
      validateClientMetadata: async (metadata) => void (await current.provider.Client.validate(metadata as never)),
      env: process.env,
    },
    provider: () => current.provider,
    refreshKeys,
    async rotateKeys() {
      const result = await rotateSigningKeys(keys, config.keyRotationOverlap);
      for (const event of keyRotationEvents(result)) await audit.record(event);
      return result;
    },
    purge: async () =>
      (await purgeExpired(knex, config.purge.batchSize)) + (await delivery.purgeSettled(config.purge.batchSize)) + (await purgeFinishedFlows(knex, config.purge.batchSize)) + (await federationRequests.purge(new Date())),
    interactions,
    selfService,
    linkedIdentities,
    tokenLimiters: {
      perClient: createRateLimiter(redis, {
        points: config.tokenRateLimit.points,
        windowSeconds: config.tokenRateLimit.windowSeconds,
        keyPrefix: `${config.redisKeyPrefix}ratelimit`,
      }),
      authFailures: createRateLimiter(redis, {
        points: config.tokenRateLimit.authFailures,
        windowSeconds: config.tokenRateLimit.windowSeconds,
        keyPrefix: `${config.redisKeyPrefix}ratelimit-authfail`,
      }),
    },
    readiness,
    adminApi,
    isRegisteredOrigin: async (origin) => (await clients.origins()).has(origin),
    async close() {
      await delivery.close();
      await compliance.trail.close();
      await database.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
