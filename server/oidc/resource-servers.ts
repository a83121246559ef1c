/**
 * Resource indicators (RFC 8707). Tokens for a registered API are JWT access tokens
 * (RFC 9068) whose audience is the API identifier and whose scope is what was granted among the
 * API's scopes. An unknown resource is refused with invalid_target.
 */
import { errors, type Configuration } from 'oidc-provider';
import type { ResourceServer } from '../modules/permissions/index.js';

export interface ResourceServerLookup {
  find(identifier: string): Promise<ResourceServer | undefined>;
}

/** RFC 9068 §2.1: RS256 is the algorithm every resource server must accept. */
const ACCESS_TOKEN_ALG = 'RS256';
// API definitions change rarely and are read on every token request; a short cache keeps the
// token endpoint off the database while bounding staleness after an edit.
const CACHE_MS = 5_000;

export function cachedLookup(lookup: ResourceServerLookup, now: () => number = Date.now): ResourceServerLookup {
  const cache = new Map<string, { value: ResourceServer | undefined; until: number }>();
  return {
    async find(identifier) {
      const hit = cache.get(identifier);
      if (hit && hit.until > now()) return hit.value;
      const value = await lookup.find(identifier);
      if (cache.size > 1000) cache.clear();
      cache.set(identifier, { value, until: now() + CACHE_MS });
      return value;
    },
  };
}

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;

export function resourceIndicatorsWith(lookup: ResourceServerLookup): ResourceIndicators {
  // Called on every token request for an API; the scope list of a cached definition is joined once.
  const scopeStrings = new WeakMap<ResourceServer, string>();
  const scopeOf = (server: ResourceServer) => {
    let scope = scopeStrings.get(server);
    if (scope === undefined) {
      scope = server.scopes.map((s) => s.value).join(' ');
      scopeStrings.set(server, scope);
    }
    return scope;
  };
  return {
    enabled: true,
    defaultResource: async (_ctx, _client, oneOf) => oneOf ?? undefined,
    // Refresh and code exchanges without `resource` get a token for the resource that was granted.
    useGrantedResource: async () => true,
    async getResourceServerInfo(_ctx, indicator) {
      const server = await lookup.find(indicator);
      if (!server) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
      return {
        audience: server.identifier,
        scope: scopeOf(server),
        ...(server.accessTokenTtl ? { accessTokenTTL: server.accessTokenTtl } : {}),
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
      };
    },
  };
}
