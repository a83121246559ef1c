/** Feeds oidc-provider its accounts: users from our store, claims from their profile. */
import type { FindAccount } from 'oidc-provider';
import { claimsOf, type User } from '../modules/users/index.js';

export interface AccountLookup {
  findById(id: string): Promise<User | undefined>;
}

export function findAccountWith(users: AccountLookup, roles: { roleNamesOf(userId: string): Promise<string[]> }): FindAccount {
  return async (_ctx, sub) => {
    const user = await users.findById(sub);
    // A disabled account stops resolving: its tokens fail introspection and userinfo.
    if (!user || user.disabled) return undefined;
    return {
      accountId: user.id,
      // oidc-provider filters these by the granted scopes and claims; roles are read only when asked for.
      claims: async (_use, scope) => ({
        ...claimsOf(user),
        ...(scope.split(' ').includes('roles') ? { roles: await roles.roleNamesOf(user.id) } : {}),
      }),
    };
  };
}
