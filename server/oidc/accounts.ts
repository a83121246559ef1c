/** Feeds oidc-provider its accounts: users from our store, claims from their profile and roles. */
import type { FindAccount } from 'oidc-provider';
import { claimsOf, type User } from '../modules/users/index.js';
import { accountRoleClaims, type ClaimNames, type RoleClaimsLookup } from './role-claims.js';

export interface AccountLookup {
  findById(id: string): Promise<User | undefined>;
}

const DEFAULT_NAMES: ClaimNames = { roles: 'roles', permissions: 'permissions' };

export function findAccountWith(users: AccountLookup, roles: RoleClaimsLookup, names: ClaimNames = DEFAULT_NAMES): FindAccount {
  return async (_ctx, sub) => {
    const user = await users.findById(sub);
    // A disabled account stops resolving: its tokens fail introspection and userinfo.
    if (!user || user.disabled) return undefined;
    return {
      accountId: user.id,
      // oidc-provider filters these by the granted scopes and claims; roles are read only when asked for.
      claims: async (_use, scope) => ({ ...claimsOf(user), ...(await accountRoleClaims(roles, names, user.id, scope)) }),
    };
  };
}
