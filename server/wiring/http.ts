/**
 * Stage 4: what buildApp (server/app.ts) and its routers receive: the sign-in pages, the account
 * pages, the admin API, token limits, readiness checks and the provider delivery callbacks. The
 * start adds only what belongs to one running server (its bootstrap readiness, shutdown flag).
 */
import type { Config } from '../../config/loader.js';
import { effectiveSettings } from '../../config/effective.js';
import type { PrometheusMetrics } from '../../adapters/metrics/prometheus.js';
import { createAccountSessionGateway, createInteractionGateway } from '../../interactions/gateway.js';
import type { InteractionDeps } from '../../interactions/index.js';
import type { SelfServiceDeps } from '../../account/index.js';
import type { AppDeps } from '../app.js';
import type { Logger } from '../shared/logger.js';
import { createTokenVerifier } from '../../adapters/crypto/access-token-verifier.js';
import type { AdminApiDeps } from '../http/routes/admin/index.js';
import type { ReadinessCheck } from '../http/routes/health.js';
import type { Renderer } from '../shared/rendering.js';
import { ACCOUNT_CONSOLE_CLIENT_ID, ADMIN_CONSOLE_CLIENT_ID, DEMO_SPA_CLIENT_ID, demoCallbackUrl } from '../modules/bootstrap/index.js';
import { createDemoRelyingParty } from '../../adapters/demo/demo-relying-party.js';
import { ACR_MFA } from '../modules/auth/index.js';
import type { AuditTrail } from '../modules/compliance/index.js';
import { recordDeliveryStatus } from '../modules/notifications/index.js';
import type { SelfServiceServices } from '../modules/self-service/index.js';
import type { Administration } from './modules/administration.js';
import type { AuditCompliance } from './modules/audit.js';
import type { Auth } from './modules/auth.js';
import type { Outbound } from './modules/delivery.js';
import type { ProviderHolder } from './provider.js';
import type { ResolvedConfig, Stores } from './stores.js';
import type { BrandAssets } from './branding.js';

/** Everything buildApp needs except what only the running server knows. */
export type HttpDeps = Omit<AppDeps, 'isShuttingDown'>;

export function buildHttp(deps: {
  config: ResolvedConfig;
  logger: Logger;
  renderer: Renderer;
  brand: BrandAssets;
  metrics: PrometheusMetrics;
  stores: Pick<Stores, 'database' | 'redis' | 'users' | 'clients' | 'limiter' | 'accountRecords'>;
  audit: AuditTrail;
  compliance: AuditCompliance;
  outbound: Pick<Outbound, 'callbacks' | 'outbox' | 'mailbox'>;
  provider: ProviderHolder;
  auth: Auth;
  selfService: SelfServiceServices;
  administration: Pick<Administration, 'api'>;
}): HttpDeps {
  const { config, logger, renderer, stores, audit, provider, auth } = deps;
  const { users } = stores;
  const gateway = createInteractionGateway(provider.provider);

  const interactions: InteractionDeps = {
    gateway,
    renderer,
    authenticate: auth.authenticate,
    signIn: auth.signIn,
    apiName: async (identifier) => (await provider.resourceServers.find(identifier))?.name ?? identifier,
    username: auth.username,
    audit,
    trustedDeviceDays: Math.round(config.mfa.trustedDeviceTtlSeconds / 86_400),
    passkeys: !!auth.passkeys,
    ...(auth.passkeys && config.passkeys.offer ? { passkeyOffer: { passkeys: auth.passkeys, ...auth.passkeyOffer, username: auth.username } } : {}),
    ...(auth.federation ? { federation: auth.federation } : {}),
    selfService: {
      renderer,
      services: deps.selfService,
      registration: config.selfService.registration,
      passwordRecovery: config.features.passwordRecovery,
      newDeviceEmail: config.features.newDeviceEmail,
    },
  };

  const selfService: SelfServiceDeps = {
    renderer,
    gateway,
    sessions: createAccountSessionGateway(provider.provider),
    services: deps.selfService,
    mfa: auth.mfa,
    ...(auth.passkeys ? { passkeys: auth.passkeys } : {}),
    options: {
      registration: config.selfService.registration,
      passwordRecovery: config.features.passwordRecovery,
      emailVerification: config.features.emailVerification,
      phoneVerification: config.features.phoneVerification,
      passwordMinLength: config.selfService.passwordMinLength,
      reauthWindowSeconds: config.selfService.reauthWindow,
      accountClientId: ACCOUNT_CONSOLE_CLIENT_ID,
      issuer: config.issuer,
    },
    federation: { federation: auth.federation, linked: auth.linkedIdentities },
  };

  // Verifies against the keys the provider publishes; an unknown kid triggers one key refresh.
  const tokenVerifier = createTokenVerifier({ issuer: config.issuer, audience: config.adminApi.audience, keys: provider.publicJwks, refresh: provider.refresh });
  const adminApi: AdminApiDeps = {
    issuer: config.issuer,
    audience: config.adminApi.audience,
    auth: {
      verify: (token) => tokenVerifier.verify(token),
      isActiveUser: async (id) => (await users.findById(id))?.disabled === false,
    },
    audit,
    ...deps.administration.api,
    auditLog: deps.compliance,
    settings: () => effectiveSettings(config),
    linkedIdentities: auth.linkedIdentities,
    stats: {
      activeSessions: () => stores.accountRecords.countActiveSessions(),
      outbox: () => deps.outbound.outbox.counts(),
      auditHeadSeq: () => deps.compliance.headSeq(),
      auditStalled: () => deps.compliance.trail.stalled(),
      lastVerification: () => deps.compliance.lastVerification(),
    },
  };

  const { knex } = stores.database;
  const { redis } = stores;
  const readiness: ReadinessCheck[] = [
    { name: 'database', check: async () => void (await knex.raw('SELECT 1')) },
    ...(redis ? [{ name: 'redis', check: async () => void (await redis.ping()) }] : []),
    // A trail that cannot append (issue 11): the replica leaves rotation rather than lose events.
    { name: 'audit', check: async () => { if (deps.compliance.trail.stalled()) throw new Error('audit trail stalled'); } },
  ];

  return {
    logger,
    renderer,
    trustProxy: config.trustProxy,
    hsts: new URL(config.issuer).protocol === 'https:',
    cookieKeys: config.cookieKeys,
    provider: provider.provider,
    interactions,
    selfService,
    ...(config.console.enabled
      ? { console: { renderer, options: { issuer: config.issuer, apiUrl: config.console.apiUrl, clientId: ADMIN_CONSOLE_CLIENT_ID, audience: config.adminApi.audience, mfaAcr: config.console.mfaRequired ? ACR_MFA : undefined } } }
      : {}),
    tokenLimiters: {
      perClient: stores.limiter('ratelimit', config.tokenRateLimit.points, config.tokenRateLimit.windowSeconds),
      authFailures: stores.limiter('ratelimit-authfail', config.tokenRateLimit.authFailures, config.tokenRateLimit.windowSeconds),
    },
    isRegisteredOrigin: async (origin) => (await stores.clients.origins()).has(origin),
    readiness,
    adminApi,
    home: {
      renderer,
      development: config.env === 'development',
      issuer: config.issuer,
      homeUrl: config.homeUrl,
      demo: config.env === 'development' && config.demoClients ? createDemoRelyingParty({ issuer: config.issuer, clientId: DEMO_SPA_CLIENT_ID, redirectUri: demoCallbackUrl(config.issuer) }) : undefined,
      apiReference: '/admin/v1/docs',
      mailbox: deps.outbound.mailbox,
    },
    assets: deps.brand.files,
    explainGrantErrors: config.env === 'development',
    metrics: deps.metrics,
    outageRetryAfterSeconds: config.outageRetryAfterSeconds,
    ...(config.metrics.enabled ? { metricsEndpoint: { exposition: deps.metrics, token: config.metrics.token } } : {}),
    deviceGuesses: {
      limiters: {
        perIp: stores.limiter('device-guess-ip', config.deviceFlow.guessesPerIp, config.deviceFlow.guessWindowSeconds),
        total: stores.limiter('device-guess-all', config.deviceFlow.guessesTotal, config.deviceFlow.guessWindowSeconds),
      },
      audit,
    },
    notificationCallbacks: {
      ...deps.outbound.callbacks,
      record: (status) => recordDeliveryStatus({ outbox: deps.outbound.outbox, audit }, status),
      log: logger,
    },
  };
}
