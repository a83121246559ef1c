/**
 * Resource indicators (RFC 8707). Tokens for a registered API are JWT access tokens
 * (RFC 9068) whose audience is the API identifier and whose scope is what was granted among the
 * API's scopes. An unknown resource is refused with invalid_target.
 */
import { errors, type Configuration } from 'oidc-provider';
import { clientAllowance, grantableScopes, type ResourceScopes, type ResourceServer } from '../modules/permissions/index.js';
import { checkMachineScope, refuseScopeWithoutResource } from './machine-scope.js';

export interface ResourceServerLookup {
  find(identifier: string): Promise<ResourceServer | undefined>;
}

/** RFC 9068 §2.1: RS256 is the algorithm every resource server must accept. */
const ACCESS_TOKEN_ALG = 'RS256';
// API definitions change rarely and are read on every token request; a short cache keeps the
// token endpoint off the database while bounding staleness after an edit.
const CACHE_MS = 5_000;

/** `forget` drops one API (undefined: all), for edits announced by this or another process. */
export function cachedLookup(lookup: ResourceServerLookup, now: () => number = Date.now, ttlMs = CACHE_MS): ResourceServerLookup & { forget(identifier: string | undefined): void } {
  const cache = new Map<string, { value: ResourceServer | undefined; until: number }>();
  return {
    forget(identifier) {
      if (identifier === undefined) cache.clear();
      else cache.delete(identifier);
    },
    async find(identifier) {
      const hit = cache.get(identifier);
      if (hit && hit.until > now()) return hit.value;
      const value = await lookup.find(identifier);
      if (cache.size > 1000) cache.clear();
      cache.set(identifier, { value, until: now() + ttlMs });
      return value;
    },
  };
}

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;

export interface GrantedScopesLookup {
  /** Scopes of one API that a user's roles grant. */
  grantedScopes(userId: string, resource: string): Promise<string[]>;
}

/**
 * Scopes of an API a token may carry (permissions/domain/scope-mapping.ts): the API's, within
 * what the client may ask for, within what the user's roles grant when a user is involved. It
 * is worked out at every issuance, so a role removed stops counting at the next token.
 */
export function resourceIndicatorsWith(lookup: ResourceServerLookup, permissions: GrantedScopesLookup): ResourceIndicators {
  // Called on every token request for an API; the scope list of a cached definition is built once.
  const scopeLists = new WeakMap<ResourceServer, string[]>();
  const scopesOf = (server: ResourceServer) => {
    let scopes = scopeLists.get(server);
    if (!scopes) {
      scopes = server.scopes.map((s) => s.value);
      scopeLists.set(server, scopes);
    }
    return scopes;
  };
  return {
    enabled: true,
    defaultResource: async (ctx, _client, oneOf) => {
      if (oneOf === undefined) refuseScopeWithoutResource(ctx);
      return oneOf ?? undefined;
    },
    // Refresh and code exchanges without `resource` get a token for the resource that was granted.
    useGrantedResource: async () => true,
    async getResourceServerInfo(ctx, indicator, client) {
      const server = await lookup.find(indicator);
      if (!server) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
      const resourceScopes = (client as unknown as { resource_scopes?: ResourceScopes }).resource_scopes;
      const clientAllowed = clientAllowance(resourceScopes, indicator);
      if (clientAllowed === undefined) throw new errors.InvalidTarget(`client is not allowed to request ${indicator}`);
      // The account of this issuance: the token endpoint loads it; at the authorization endpoint it is the session's.
      const accountId = ctx.oidc.entities.Account?.accountId ?? ctx.oidc.entities.Session?.accountId;
      const userGranted = accountId ? await permissions.grantedScopes(accountId, indicator) : undefined;
      const grantable = grantableScopes({ apiScopes: scopesOf(server), clientAllowed, userGranted }) ?? [];
      checkMachineScope(ctx, scopesOf(server), grantable);
      const scope = grantable.join(' ');
      return {
        audience: server.identifier,
        scope,
        ...(server.accessTokenTtl ? { accessTokenTTL: server.accessTokenTtl } : {}),
        ...(server.accessTokenFormat === 'opaque'
          ? { accessTokenFormat: 'opaque' as const }
          : { accessTokenFormat: 'jwt' as const, jwt: { sign: { alg: ACCESS_TOKEN_ALG } } }),
      };
    },
  };
}
