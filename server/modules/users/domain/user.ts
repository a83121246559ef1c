/**
 * A person's identity: profile traits only. Credentials (password hash, factors) live in their
 * own records. Logins are case-insensitive; the stored username keeps the case it was given.
 */
export interface Address {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

/** OpenID Connect standard claims a user may have (OIDC Core §5.1). */
export interface Profile {
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  nickname?: string;
  preferred_username?: string;
  picture?: string;
  website?: string;
  gender?: string;
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  phone_number?: string;
  phone_number_verified?: boolean;
  address?: Address;
}

export interface User {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  profile: Profile;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Incremented by every change; the admin API's ETag (optimistic concurrency). */
  version: number;
}

export function normalizeLogin(identifier: string): string {
  return identifier.trim().normalize('NFKC').toLowerCase();
}

/** Usernames: 3–64 characters, letters, digits and . _ - (no @, so they never look like emails). */
export const USERNAME_PATTERN = /^[\p{L}\p{N}._-]{3,64}$/u;
