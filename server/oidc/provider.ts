/**
 * The one place a Provider is constructed. oidc-provider speaks the protocol; this file only
 * configures it: what we store, who the accounts are, which APIs exist, how pages look, and
 * the security choices RFC 9700 asks for (code flow only, PKCE S256 for every client, exact
 * redirect URIs, refresh token rotation with reuse detection, sender-agnostic short codes).
 */
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../../config/loader.js';
import { SCOPE_CLAIMS } from '../modules/users/index.js';
import { allowedOrigins } from '../modules/clients/index.js';
import type { Jwk } from '../modules/keys/index.js';
import { findAccountWith, type AccountLookup } from './accounts.js';
import { resourceIndicatorsWith, type GrantedScopesLookup, type ResourceServerLookup } from './resource-servers.js';
import type { ProviderPages } from './pages.js';
import { ACR_VALUES, CLIENT_MFA_POLICIES } from '../modules/auth/index.js';
import { buildInteractionPolicy } from './interaction-policy.js';

export interface ProviderDeps {
  config: Pick<Config, 'issuer' | 'cookieKeys' | 'ttl' | 'trustProxy' | 'env' | 'mfa'>;
  jwks: Jwk[];
  adapter: (model: string) => unknown;
  accounts: AccountLookup;
  resourceServers: ResourceServerLookup;
  permissions: GrantedScopesLookup & { roleNamesOf(userId: string): Promise<string[]> };
  pages: ProviderPages;
}

/** Our extensions to client metadata (see clients/domain/client-definition.ts). */
const EXTRA_CLIENT_METADATA = ['web_origins', 'first_party', 'resource_scopes', 'mfa_policy'];

function isConfidential(client: { clientAuthMethod?: string | undefined }): boolean {
  return client.clientAuthMethod !== 'none';
}

export function buildProvider(deps: ProviderDeps): Provider {
  const { config } = deps;
  const ttl = config.ttl;
  const configuration: Configuration = {
    adapter: deps.adapter as Configuration['adapter'],
    clients: [],
    jwks: { keys: deps.jwks as never[] },
    findAccount: findAccountWith(deps.accounts, deps.permissions),
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
      // The names of the user's roles, for ID tokens and userinfo when the `roles` scope is granted.
      roles: ['roles'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone', 'address', 'roles'],
    // JWT access tokens for an API carry the user's role names next to the scope (RFC 9068 §2.2.3.1).
    async extraTokenClaims(_ctx, token) {
      const accountId = (token as { accountId?: string }).accountId;
      if (!accountId || !(token as { resourceServer?: unknown }).resourceServer) return undefined;
      const roles = await deps.permissions.roleNamesOf(accountId);
      return roles.length ? { roles } : undefined;
    },
    responseTypes: ['code'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    extraClientMetadata: {
      properties: EXTRA_CLIENT_METADATA,
      validator(_ctx, key, value) {
        if (key === 'web_origins' && value !== undefined) {
          if (!Array.isArray(value) || !value.every((o) => typeof o === 'string' && URL.parse(o)?.origin === o)) {
            throw new Error('web_origins must be an array of origins');
          }
        }
        if (key === 'first_party' && value !== undefined && typeof value !== 'boolean') {
          throw new Error('first_party must be a boolean');
        }
        if (key === 'resource_scopes' && value !== undefined) {
          const valid = typeof value === 'object' && value !== null && !Array.isArray(value)
            && Object.values(value).every((scopes) => Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'));
          if (!valid) throw new Error('resource_scopes must map API identifiers to arrays of scopes');
        }
        if (key === 'mfa_policy' && value !== undefined && !(CLIENT_MFA_POLICIES as readonly unknown[]).includes(value)) {
          throw new Error('mfa_policy must be optional or required');
        }
      },
    },
    // RFC 9700 §2.1.1: PKCE for every client; oidc-provider only implements S256.
    pkce: { required: () => true },
    // OIDC requires redirect_uri on every authorization request; no defaulting to the only one.
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS(_ctx, origin, client) {
      return allowedOrigins(client.metadata() as { redirect_uris?: string[]; web_origins?: string[] }).has(origin);
    },
    cookies: {
      keys: config.cookieKeys ?? [],
      long: { httpOnly: true, sameSite: 'lax', signed: true },
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
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: buildInteractionPolicy({ mfaEnabled: config.mfa.enabled }),
    },
    // The assurance levels a login can reach (auth/domain/authentication-context.ts): password only,
    // or password plus a second factor. Clients ask for the second with acr_values.
    acrValues: [...ACR_VALUES],
    // Rotate on every use, so a stolen refresh token is detected at its first reuse
    // (RFC 9700 §4.14.2); oidc-provider then revokes the whole grant.
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl.accessToken,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl.clientCredentials,
      AuthorizationCode: ttl.authorizationCode,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      Session: ttl.session,
      Grant: ttl.grant,
      Interaction: ttl.interaction,
      DeviceCode: 600,
      BackchannelAuthenticationRequest: 600,
    },
    renderError: deps.pages.renderError,
    // OIDC Core §5.4: in the code flow, claims requested by scope are released at userinfo, not in
    // the ID token (claims asked for through the `claims` parameter still go in).
    conformIdTokenClaims: true,
  };
  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.trustProxy;
  return provider;
}

export type { Provider, KoaContextWithOIDC };
