/**
 * Scope of a client credentials request, answered per RFC 6749 §5.1/§5.2 instead of silently
 * narrowed (oidc-provider keeps only OpenID Connect scopes when there is no `resource`, and drops
 * scopes an API does not define):
 *   - without `resource`, any scope is invalid_scope. An API's scopes need the API named
 *     (RFC 8707): scope values are not unique across APIs, and a token's audience must not depend
 *     on how many APIs the client happens to be allowed today. OpenID Connect scopes (`openid`,
 *     `profile`, `offline_access`...) describe a user, and a machine token has none: refused too,
 *     never echoed.
 *   Refusals name the refused scopes in the error's `scope`, as oidc-provider's own InvalidScope does.
 *   - with `resource`, a scope the API does not define is invalid_scope; scopes the API defines but
 *     the client may not have are left out, and the response's `scope` names what was issued
 *     (oidc-provider returns the token's scope). If nothing requested is left, invalid_scope.
 */
import { errors, type KoaContextWithOIDC } from 'oidc-provider';

const GRANT = 'client_credentials';

function requestedScopes(ctx: KoaContextWithOIDC): string[] | undefined {
  const { params } = ctx.oidc;
  if (params?.grant_type !== GRANT) return undefined;
  const scope = typeof params.scope === 'string' ? params.scope : '';
  return scope.split(' ').filter(Boolean);
}

/** For `defaultResource`: a client credentials request asking scopes without naming an API. */
export function refuseScopeWithoutResource(ctx: KoaContextWithOIDC): void {
  const requested = requestedScopes(ctx);
  if (!requested?.length) return;
  // The provider's own (OpenID Connect) scopes among those requested, as it recognises them.
  const statics = (ctx.oidc as unknown as { requestParamOIDCScopes?: Set<string> }).requestParamOIDCScopes ?? new Set<string>();
  const oidcScopes = requested.filter((scope) => statics.has(scope));
  if (oidcScopes.length === requested.length) {
    throw new errors.InvalidScope('OpenID Connect scopes do not apply to a client credentials token', oidcScopes.join(' '));
  }
  throw new errors.InvalidScope('scopes of an API need the API named with the resource parameter (RFC 8707)', requested.join(' '));
}

/**
 * For `getResourceServerInfo`: the scopes of a client credentials request against the API's.
 * @param apiScopes every scope the API defines; @param grantable those this client may have.
 */
export function checkMachineScope(ctx: KoaContextWithOIDC, apiScopes: readonly string[], grantable: readonly string[]): void {
  const requested = requestedScopes(ctx);
  if (!requested?.length) return;
  const unknown = requested.filter((scope) => !apiScopes.includes(scope));
  if (unknown.length) throw new errors.InvalidScope('the API does not define the requested scope', unknown.join(' '));
  if (!requested.some((scope) => grantable.includes(scope))) {
    throw new errors.InvalidScope('the client may not have any of the requested scopes of this API', requested.join(' '));
  }
}
