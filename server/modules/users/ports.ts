/** What the users module needs from storage and cryptography. */
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
  create(user: NewUser): Promise<User>;
  update(id: string, changes: Partial<Omit<NewUser, 'id'>>): Promise<User>;
  /** One page of users in username order (case-insensitive), after the username `after`. */
  listPage(page: { after?: string | undefined; limit: number }): Promise<User[]>;
}

export interface PasswordCredential {
  hash: string;
  /** Set for generated one-time passwords: the user must choose a new one at next sign-in. */
  mustChange: boolean;
}

export interface CredentialRepository {
  findPassword(userId: string): Promise<PasswordCredential | undefined>;
  setPassword(userId: string, credential: PasswordCredential): Promise<void>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
  verifyAgainstDummy(password: string): Promise<false>;
}
