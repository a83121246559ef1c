/** What the users module needs from storage and cryptography. */
import type { InTransaction } from '../../shared/unit-of-work.js';
import type { Page, PageRequest } from '../../shared/pagination.js';
import type { ExpectedVersions } from '../../shared/versions.js';
import type { Profile, User } from './domain/user.js';

export interface NewUser {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  profile: Profile;
}

export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  /** Matches username or email, case-insensitively. */
  findByLogin(identifier: string): Promise<User | undefined>;
  findByUsername(username: string): Promise<User | undefined>;
  count(): Promise<number>;
  /** @throws AppError conflict when the username or email is taken. */
  /** With `options.transaction`, the row is written in the caller's transaction (server/shared/unit-of-work.ts). */
  create(user: NewUser, options?: InTransaction): Promise<User>;
  update(id: string, changes: Partial<Omit<NewUser, 'id'>>): Promise<User>;
  /** Users in order of lower(username), filtered. */
  list(filter: UserFilter, page: PageRequest): Promise<Page<User>>;
  /**
   * Compare-and-set: applies the changes and increments the version only if the current version
   * is one of `versions` ('any': unconditionally, still in one statement).
   * @throws AppError not_found, precondition_failed (stale version), conflict (username or email taken).
   */
  updateVersioned(id: string, versions: ExpectedVersions, changes: UserChanges): Promise<User>;
  /** @throws AppError not_found, precondition_failed. */
  deleteVersioned(id: string, versions: ExpectedVersions): Promise<void>;
  /** Replaces the user's roles and increments the user's version, atomically. @throws as updateVersioned. */
  setRoles(id: string, versions: ExpectedVersions, roleIds: readonly string[]): Promise<User>;
  /** Role names of each user, sorted; users without roles are absent. */
  roleNames(userIds: readonly string[]): Promise<Map<string, string[]>>;
}

export interface UserFilter {
  usernamePrefix?: string | undefined;
  emailPrefix?: string | undefined;
  /** Text found anywhere in the username, the email or the profile's names (case-insensitive, taken literally). */
  search?: string | undefined;
  /** A role name the user holds. */
  role?: string | undefined;
  disabled?: boolean | undefined;
}

export interface UserChanges {
  username?: string;
  email?: string | null;
  emailVerified?: boolean;
  profile?: Profile;
  disabled?: boolean;
}

export interface PasswordCredential {
  hash: string;
  /** Set for generated one-time passwords: the user must choose a new one at next sign-in. */
  mustChange: boolean;
}

export interface CredentialRepository {
  findPassword(userId: string): Promise<PasswordCredential | undefined>;
  setPassword(userId: string, credential: PasswordCredential, options?: InTransaction): Promise<void>;
}

/** What administrators do to a user's credentials (a narrow port beside CredentialRepository). */
export interface CredentialResets {
  /** Marks the password as one to change at next sign-in. @returns false when the user has no password. */
  requirePasswordChange(userId: string): Promise<boolean>;
  /** Deletes the user's credentials of these types. @returns how many were deleted. */
  deleteByType(userId: string, types: readonly string[]): Promise<number>;
}

/**
 * The user's records held by the protocol engine: browser sessions and grants (consents), and
 * revocation of a grant together with every token issued under it.
 */
export interface AccountRecords {
  listSessions(userId: string, page: PageRequest): Promise<Page<UserSession>>;
  /** @returns false when the user has no such session. */
  revokeSession(userId: string, sessionId: string): Promise<boolean>;
  listGrants(userId: string, page: PageRequest): Promise<Page<UserGrant>>;
  /** Revokes the grant and every token issued under it. @returns false when the user has no such grant. */
  revokeGrant(userId: string, grantId: string): Promise<boolean>;
  /** Revokes every grant of the user (and their tokens). @returns how many. */
  revokeAllGrants(userId: string): Promise<number>;
  /** Ends every session of the user. @returns how many. */
  revokeAllSessions(userId: string): Promise<number>;
  /** Sessions of every user that have not expired (the admin overview). */
  countActiveSessions(): Promise<number>;
}

export interface UserSession {
  /** The session's public identifier (its uid; never the cookie value). */
  id: string;
  loginAt: Date | undefined;
  expiresAt: Date | undefined;
  amr: string[];
  acr: string | undefined;
  /** Clients the user signed in to during this session. */
  clientIds: string[];
  /** The browser behind it, as recorded at sign-in (absent for a session older than the record). */
  device?: {
    browser?: string;
    os?: string;
    /** A coarse network ("203.0.113.x", an IPv6 /48), never the full address. */
    network?: string;
    createdAt: Date;
    lastSeenAt: Date;
  };
}

export interface UserGrant {
  id: string;
  clientId: string;
  /** OpenID scopes granted. */
  scopes: string[];
  /** Scopes granted per API (RFC 8707 resource). */
  resources: Record<string, string[]>;
  issuedAt: Date | undefined;
  expiresAt: Date | undefined;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
  verifyAgainstDummy(password: string): Promise<false>;
}
