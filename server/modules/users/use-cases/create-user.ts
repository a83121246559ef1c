/** Creates a user with an optional password. Inputs are assumed validated at the edge. */
import { AppError } from '../../../shared/errors.js';
import { newId } from '../../../shared/ids.js';
import type { InTransaction } from '../../../shared/unit-of-work.js';
import type { Profile, User } from '../domain/user.js';
import { USERNAME_PATTERN } from '../domain/user.js';
import type { CredentialRepository, PasswordHasher, UserRepository } from '../ports.js';

export interface CreateUserInput {
  /** Chosen by the caller when it must be known before the account exists (deferred sign-up). */
  id?: string;
  username: string;
  email?: string | null;
  emailVerified?: boolean;
  profile?: Profile;
  password?: string;
  passwordHash?: string;
  mustChangePassword?: boolean;
}

export interface CreateUserDeps {
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
}

/** @throws AppError invalid_input for a malformed username, conflict when it or the email is taken. */
/** With `options.transaction`, the user and the password are written in the caller's transaction. */
export async function createUser(deps: CreateUserDeps, input: CreateUserInput, options: InTransaction = {}): Promise<User> {
  if (!USERNAME_PATTERN.test(input.username)) {
    throw new AppError('invalid_input', 'username must be 3-64 letters, digits, dots, dashes or underscores', {
      fields: [{ field: 'username', message: 'invalid_username' }],
    });
  }
  const user = await deps.users.create({
    id: input.id ?? newId(),
    username: input.username,
    email: input.email ?? null,
    emailVerified: input.emailVerified ?? false,
    profile: input.profile ?? {},
  }, options);
  const hash = input.passwordHash ?? (input.password !== undefined ? await deps.hasher.hash(input.password) : undefined);
  if (hash) await deps.credentials.setPassword(user.id, { hash, mustChange: input.mustChangePassword ?? false }, options);
  return user;
}
