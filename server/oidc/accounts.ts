/** Feeds oidc-provider its accounts: users from our store, claims from their profile. */
import type { FindAccount } from 'oidc-provider';
import { claimsOf, type User } from '../modules/users/index.js';

export interface AccountLookup {
  findById(id: string): Promise<User | undefined>;
}

export function findAccountWith(users: AccountLookup): FindAccount {
  return async (_ctx, sub) => {
    const user = await users.findById(sub);
    // A disabled account stops resolving: its tokens fail introspection and userinfo.
    if (!user || user.disabled) return undefined;
    return {
      accountId: user.id,
      // oidc-provider filters these by the granted scopes and claims.
      claims: async () => claimsOf(user),
    };
  };
}
