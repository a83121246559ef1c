/**
 * The one place a Provider is constructed. oidc-provider speaks the protocol; this file only
 * configures it: what we store, who the accounts are, which APIs exist, how pages look, and
 * the security choices RFC 9700 asks for (code flow only, PKCE S256 for every client, exact
 * redirect URIs, refresh token rotation with reuse detection, sender-agnostic short codes).
 */
import Provider, { type Adapter, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config/loader.js';
import { SCOPE_CLAIMS } from '../modules/users/index.js';
import { allowedOrigins } from '../modules/clients/index.js';
import type { Jwk } from '../modules/keys/index.js';
import { findAccountWith, type AccountLookup } from './accounts.js';
import { resourceIndicatorsWith, type GrantedScopesLookup, type ResourceServerLookup } from './resource-servers.js';
import type { ProviderPages } from './pages.js';
import { ACR_VALUES } from '../modules/auth/index.js';
import { extraClientMetadata } from './client-metadata.js';
import { buildInteractionPolicy, promptValuesSupported } from './interaction-policy.js';
import { registrationFeatures } from './registration.js';
import { accessTokenRoleClaims, roleClaimScopes, type RoleClaimsLookup } from './role-claims.js';
import { markOutages, outageAwareAdapter, outageAwareFindAccount } from './outage.js';
import { loadExistingGrantWith, type ExistingGrantLookup } from './existing-grant.js';
import { providerWithReuseWindow, refreshReuseAdapter, rotateRefreshToken } from './refresh-reuse.js';
import { announcePollInterval, deviceFlowFeature, pollingLimitedAdapter, storeSessionsFirstTouchedOnErrorPages, type DeviceFlowDeps } from './device-flow.js';
import { BACKCHANNEL_LOGOUT, backchannelLogoutThroughOutbox, type LogoutQueue } from './backchannel-logout.js';
import { keepActClaim, registerTokenExchange, type TokenExchangeDeps } from './token-exchange.js';
import { codeTtl, highSecurityConfiguration, holdSecretsToTheirMethod, type HighSecurityOptions } from './high-security.js';

export interface ProviderDeps {
  config: Pick<Config, 'issuer' | 'cookieKeys' | 'ttl' | 'trustProxy' | 'env' | 'mfa'> & Partial<Pick<Config, 'claimNames' | 'registration' | 'refreshTokenReuseWindow' | 'selfService'>>;
  jwks: Jwk[];
  adapter: (model: string) => Adapter;
  accounts: AccountLookup;
  resourceServers: ResourceServerLookup;
  permissions: GrantedScopesLookup & RoleClaimsLookup;
  pages: ProviderPages;
  /** Consent remembered across browsers (existing-grant.ts); without it, per browser session. */
  grants?: ExistingGrantLookup;
  /** RFC 8628 device sign-in (device-flow.ts); absent: the feature is off. */
  deviceFlow?: DeviceFlowDeps;
  /** Back-channel logout notices go to this queue (backchannel-logout.ts); absent: the feature is off. */
  logoutQueue?: LogoutQueue;
  /** RFC 8693 token exchange (token-exchange.ts); absent: the grant is not registered. */
  tokenExchange?: TokenExchangeDeps;
  /** PAR, DPoP, JAR, JARM, mTLS, FAPI 2.0, pairwise, encryption (high-security.ts). */
  highSecurity: HighSecurityOptions;
}

/** The session cookie's options, also used where a session is first stored outside the session middleware (device-flow.ts). */
const LONG_COOKIE = { httpOnly: true, sameSite: 'lax', signed: true } as const;

function isConfidential(client: { clientAuthMethod?: string | undefined }): boolean {
  return client.clientAuthMethod !== 'none';
}

export function buildProvider(deps: ProviderDeps): Provider {
  const { config } = deps;
  const ttl = config.ttl;
  const claimNames = config.claimNames ?? { roles: 'roles', permissions: 'permissions' };
  const reuseWindow = config.refreshTokenReuseWindow ?? 0;
  const storage = outageAwareAdapter(deps.adapter);
  // Device codes are polled through a limiter (slow_down, RFC 8628 §3.5).
  const deviceLimited = deps.deviceFlow ? pollingLimitedAdapter(deps.adapter, deps.deviceFlow.pollLimiter) : deps.adapter;
  const policy = buildInteractionPolicy({ mfaEnabled: config.mfa.enabled, signupEnabled: config.selfService?.registration ?? false });
  const { features: highSecurityFeatures, ...highSecurity } = highSecurityConfiguration(deps.highSecurity);
  const configuration: Configuration = {
    ...highSecurity,
    // Storage failures reach the provider as temporarily_unavailable, not server_error (outage.ts).
    adapter: outageAwareAdapter(reuseWindow > 0 ? refreshReuseAdapter(deviceLimited) : deviceLimited),
    clients: [],
    jwks: { keys: deps.jwks as never[] },
    findAccount: outageAwareFindAccount(findAccountWith(deps.accounts, deps.permissions, claimNames)),
    claims: {
      // Claims not tied to a scope (null): always released when the token type carries them.
      acr: null,
      amr: null,
      auth_time: null,
      iss: null,
      sid: null,
      ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([scope, claims]) => [scope, [...claims]])),
      // amr (RFC 8176) and acr ride with `openid` so every ID token says how the user authenticated;
      // otherwise oidc-provider releases them only when requested through the claims parameter.
      openid: ['sub', 'amr', 'acr'],
      // Role names (`roles` scope) and what they permit (`permissions` scope), under configured names.
      ...roleClaimScopes(claimNames),
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone', 'address', 'roles', 'permissions'],
    // JWT access tokens for an API carry the user's roles and that API's permissions next to the scope (RFC 9068 §2.2.3.1).
    async extraTokenClaims(_ctx, token) {
      const accountId = (token as { accountId?: string }).accountId;
      const audience = (token as { resourceServer?: { audience?: string } }).resourceServer?.audience;
      if (!accountId || !audience) return undefined;
      return accessTokenRoleClaims(deps.permissions, claimNames, accountId, audience);
    },
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    extraClientMetadata: extraClientMetadata({ production: config.env === 'production' }),
    // RFC 9700 §2.1.1: PKCE for every client; oidc-provider only implements S256.
    pkce: { required: () => true },
    // OIDC requires redirect_uri on every authorization request; no defaulting to the only one.
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS(_ctx, origin, client) {
      return allowedOrigins(client.metadata() as { redirect_uris?: string[]; web_origins?: string[] }).has(origin);
    },
    cookies: {
      keys: config.cookieKeys ?? [],
      long: LONG_COOKIE,
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      claimsParameter: { enabled: true },
      userinfo: { enabled: true },
      introspection: {
        enabled: true,
        // RFC 7662 §4: a public client may learn only about its own tokens.
        async allowedPolicy(ctx, client, token) {
          return isConfidential(client) || token.clientId === ctx.oidc.client?.clientId;
        },
      },
      revocation: {
        enabled: true,
        // RFC 7009 §2.1: a client may revoke only tokens issued to it.
        async allowedPolicy(_ctx, client, token) {
          return token.clientId === client.clientId;
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: deps.pages.logoutSource,
        postLogoutSuccessSource: deps.pages.postLogoutSuccessSource,
      },
      resourceIndicators: resourceIndicatorsWith(deps.resourceServers, deps.permissions),
      ...registrationFeatures(config.registration),
      ...(deps.deviceFlow ? { deviceFlow: deviceFlowFeature(deps.deviceFlow) } : {}),
      ...(deps.logoutQueue ? { backchannelLogout: BACKCHANNEL_LOGOUT } : {}),
      ...highSecurityFeatures,
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy,
    },
    // The assurance levels a login can reach (auth/domain/authentication-context.ts): password only,
    // or password plus a second factor. Clients ask for the second with acr_values.
    acrValues: [...ACR_VALUES],
    // Rotate on every use, so a stolen refresh token is detected at its first reuse
    // (RFC 9700 §4.14.2); oidc-provider then revokes the whole grant. Within
    // REFRESH_TOKEN_REUSE_WINDOW a repeat gets the same successor instead (refresh-reuse.ts).
    rotateRefreshToken: reuseWindow > 0 ? rotateRefreshToken : true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl.accessToken,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl.clientCredentials,
      AuthorizationCode: codeTtl(ttl.authorizationCode) as never,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      Session: ttl.session,
      Grant: ttl.grant,
      Interaction: ttl.interaction,
      DeviceCode: deps.deviceFlow?.codeTtl ?? 600,
      BackchannelAuthenticationRequest: 600,
    },
    ...(deps.grants ? { loadExistingGrant: loadExistingGrantWith(deps.grants) } : {}),
    discovery: { prompt_values_supported: promptValuesSupported(policy) },
    renderError: deps.pages.renderError,
    // OIDC Core §5.4: in the code flow, claims requested by scope are released at userinfo, not in
    // the ID token (claims asked for through the `claims` parameter still go in).
    conformIdTokenClaims: true,
  };
  configuration.extraTokenClaims = keepActClaim(configuration.extraTokenClaims);
  const OurProvider = providerWithReuseWindow(reuseWindow, () => storage('RefreshToken'));
  const provider = new OurProvider(config.issuer, configuration);
  provider.proxy = config.trustProxy;
  markOutages(provider);
  if (deps.deviceFlow) {
    announcePollInterval(provider, deps.deviceFlow.pollInterval);
    storeSessionsFirstTouchedOnErrorPages(provider, ttl.session, LONG_COOKIE);
  }
  if (deps.logoutQueue) backchannelLogoutThroughOutbox(provider, deps.logoutQueue);
  if (deps.tokenExchange) {
    registerTokenExchange(provider, deps.tokenExchange, { resourceIndicators: configuration.features!.resourceIndicators!, findAccount: configuration.findAccount! });
  }
  holdSecretsToTheirMethod(provider);
  return provider;
}

export type { Provider, KoaContextWithOIDC };
