/**
 * Role and permission claims, under configurable names (ROLES_CLAIM, PERMISSIONS_CLAIM):
 * - ID token and userinfo: the `roles` scope releases the role names; the `permissions` scope
 *   releases what the roles permit, as an object of API identifier → scopes.
 * - JWT access tokens for an API (RFC 9068 §2.2.3.1): the role names and the scopes of that API
 *   the roles permit. These are the user's entitlements; `scope` stays what this token was granted.
 * Both are read at every issuance, so a changed role counts from the next token on.
 */
import type { Permission } from '../modules/permissions/index.js';

export interface ClaimNames {
  roles: string;
  permissions: string;
}

export interface RoleClaimsLookup {
  roleNamesOf(userId: string): Promise<string[]>;
  /** Every permission the user's roles grant, across all APIs. */
  permissionsOf(userId: string): Promise<Permission[]>;
}

/** The scopes that release these claims, for oidc-provider's `claims` configuration. */
export function roleClaimScopes(names: ClaimNames): Record<'roles' | 'permissions', string[]> {
  return { roles: [names.roles], permissions: [names.permissions] };
}

/** Claims for ID token and userinfo, by granted scope; nothing is read for a scope not granted. */
export async function accountRoleClaims(lookup: RoleClaimsLookup, names: ClaimNames, userId: string, scope: string): Promise<Record<string, unknown>> {
  const scopes = new Set(scope.split(' '));
  const claims: Record<string, unknown> = {};
  if (scopes.has('roles')) claims[names.roles] = await lookup.roleNamesOf(userId);
  if (scopes.has('permissions')) {
    const byApi: Record<string, string[]> = {};
    for (const { resource, scope: permitted } of await lookup.permissionsOf(userId)) (byApi[resource] ??= []).push(permitted);
    claims[names.permissions] = byApi;
  }
  return claims;
}

/** Claims a user's JWT access token for `resource` carries; none that would be empty. */
export async function accessTokenRoleClaims(lookup: RoleClaimsLookup, names: ClaimNames, userId: string, resource: string): Promise<Record<string, unknown> | undefined> {
  const [roles, permissions] = await Promise.all([lookup.roleNamesOf(userId), lookup.permissionsOf(userId)]);
  const scopes = permissions.filter((p) => p.resource === resource).map((p) => p.scope);
  const claims: Record<string, unknown> = {};
  if (roles.length) claims[names.roles] = roles;
  if (scopes.length) claims[names.permissions] = scopes;
  return Object.keys(claims).length ? claims : undefined;
}
