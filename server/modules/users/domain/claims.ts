/**
 * Which claims a user releases for which scopes (OIDC Core §5.4). Pure: the provider asks for
 * claims by scope and this answers from the profile; only set values are released.
 */
import type { User } from './user.js';

export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: [
    'name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username',
    'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
  ],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
} as const;

export type ClaimSet = Record<string, unknown> & { sub: string };

/** Every claim the user has; oidc-provider filters them down to what was granted. */
export function claimsOf(user: User): ClaimSet {
  const { phone_number_verified, ...profile } = user.profile;
  const claims: ClaimSet = {
    sub: user.id,
    preferred_username: user.username,
    ...profile,
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
  };
  if (user.email) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  if (user.profile.phone_number) claims.phone_number_verified = phone_number_verified ?? false;
  return claims;
}
