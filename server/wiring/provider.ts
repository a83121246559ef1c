/**
 * The provider holder: builds the oidc-provider instance from the current signing keys and swaps
 * in a new one when the published key set changes (key refresh job, a rotation, or a token signed
 * with a key this process has not loaded yet). Everything that needs "the provider" asks the
 * holder, so a swap reaches all of them at once.
 */
import type { Provider } from 'oidc-provider';
import type { Config } from '../../config/loader.js';
import type { Logger } from '../shared/logger.js';
import { publicJwks } from '../../adapters/crypto/access-token-verifier.js';
import type { Renderer } from '../shared/rendering.js';
import { keyRotationEvents, type AuditTrail } from '../modules/compliance/index.js';
import { ensureSigningKeys, loadSigningKeys, rotateSigningKeys } from '../modules/keys/index.js';
import { subscribeProviderEvents } from '../oidc/events.js';
import { reportSessionActivity } from '../oidc/session-activity.js';
import { createSessionActivity } from '../modules/self-service/index.js';
import { systemClock } from '../shared/clock.js';
import { explainGrantErrors } from '../oidc/development-errors.js';
import { pagesWith } from '../oidc/pages.js';
import { buildProvider } from '../oidc/provider.js';
import { cachedLookup } from '../oidc/resource-servers.js';
import type { Metrics } from '../shared/metrics.js';
import type { Stores } from './stores.js';
import { createEndpointGuard } from '../../adapters/webhooks/endpoint-guard.js';
import { createGuardedFetch, createGuardedJsonFetch } from '../../adapters/webhooks/guarded-fetch.js';
import { createExchangeTokenVerifier } from '../../adapters/crypto/exchange-token-verifier.js';

export async function createProviderHolder(deps: {
  config: Config;
  logger: Logger;
  stores: Pick<Stores, 'keys' | 'oidc' | 'users' | 'apis' | 'roles' | 'cacheTtl' | 'invalidation' | 'grants' | 'limiter' | 'logout' | 'sessionDevices'>;
  audit: AuditTrail;
  metrics: Metrics;
  renderer: Renderer;
}) {
  const { config, logger, stores, audit } = deps;
  // Shared with the consent page, so it names APIs exactly as the provider resolves them.
  const resourceServers = cachedLookup(stores.apis, Date.now, stores.cacheTtl);
  stores.invalidation.on('resource-servers', (identifier) => resourceServers.forget(identifier));
  const pages = pagesWith(deps.renderer, { development: config.env === 'development' });
  const deviceFlow = {
    renderer: deps.renderer,
    pollLimiter: stores.limiter('device-poll', 1, config.deviceFlow.pollInterval),
    codeTtl: config.deviceFlow.codeTtl,
    pollInterval: config.deviceFlow.pollInterval,
  };

  // Every URL fetched for a client (jwks_uri, sector_identifier_uri) or a trusted issuer is held to
  // the webhook address policy (WEBHOOK_ALLOWED_NETWORKS): no calls into our own network.
  const guard = createEndpointGuard({ allowedNetworks: config.delivery.webhooks.allowedNetworks, requireHttps: config.env === 'production' });
  const highSecurity = { ...config.highSecurity, fetch: createGuardedFetch(guard) };
  const getJson = createGuardedJsonFetch({
    guard,
    timeoutMs: config.delivery.webhooks.timeoutSeconds * 1000,
    userAgent: 'oidc-server-token-exchange/1',
  });

  // Sign-ins, reuses and logouts of browser sessions, for the sessions lists (one memo for every provider built here).
  const sessionActivity = createSessionActivity({ sessionDevices: stores.sessionDevices, clock: systemClock });

  const make = async () => {
    const loaded = await loadSigningKeys(stores.keys);
    const keys = publicJwks(loaded.jwks);
    const verifier = createExchangeTokenVerifier({ issuer: config.issuer, keys: () => keys, trustedIssuers: config.tokenExchange.trustedIssuers, getJson });
    const provider = buildProvider({
      config, jwks: loaded.jwks, adapter: stores.oidc, accounts: stores.users, resourceServers, permissions: stores.roles, pages, grants: stores.grants,
      deviceFlow, logoutQueue: stores.logout, tokenExchange: { verifier, audit }, highSecurity,
    });
    subscribeProviderEvents(provider, { logger, audit, metrics: deps.metrics });
    reportSessionActivity(provider, sessionActivity, logger);
    if (config.env === 'development') explainGrantErrors(provider);
    // Kept with the provider, so the admin API verifies tokens against exactly the keys it publishes.
    return { provider, version: loaded.version, publicJwks: publicJwks(loaded.jwks) };
  };

  await ensureSigningKeys(stores.keys);
  // The one piece of state the wiring keeps: replaced whole when the key set changes.
  let current = await make();

  /** Reloads signing keys; swaps in a new provider when the published set changed. */
  const refresh = async (): Promise<boolean> => {
    const loaded = await loadSigningKeys(stores.keys);
    if (loaded.version === current.version) return false;
    current = await make();
    logger.info({ keys: loaded.version }, 'signing keys changed; provider reloaded');
    return true;
  };

  return {
    provider: (): Provider => current.provider,
    publicJwks: () => current.publicJwks,
    refresh,
    /** New signing keys (the old ones keep verifying for KEY_ROTATION_OVERLAP), audited. */
    async rotate() {
      const result = await rotateSigningKeys(stores.keys, config.keyRotationOverlap);
      for (const event of keyRotationEvents(result)) await audit.record(event);
      return result;
    },
    /** Validates client metadata as the provider will when it loads the client. */
    validateClientMetadata: async (metadata: Record<string, unknown>): Promise<void> => void (await current.provider.Client.validate(metadata as never)),
    resourceServers,
    sessionActivity,
  } as const;
}

export type ProviderHolder = Awaited<ReturnType<typeof createProviderHolder>>;
