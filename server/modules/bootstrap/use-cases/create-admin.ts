/**
 * An administrator: a user holding the `admin` role, with a generated one-time password that is
 * shown once and must be changed at first sign-in (as the first-run bootstrap does). Refused
 * while an administrator exists, unless forced: a second admin is a deliberate act.
 */
import { AppError } from '../../../shared/errors.js';
import { newSecret } from '../../../shared/ids.js';
import { ADMIN_ROLE, type RoleRepository } from '../../permissions/index.js';
import { createUser, type CredentialRepository, type PasswordHasher, type UserRepository } from '../../users/index.js';

export interface CreateAdminDeps {
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  roles: RoleRepository;
}

export interface CreateAdminInput {
  username: string;
  email?: string | undefined;
  /** Create one even though an administrator exists. */
  force?: boolean;
}

/** 18 random bytes: 24 characters, 144 bits: far beyond guessing, still typeable once. */
export const oneTimePassword = (): string => newSecret(18);

/** Grants the admin role to a user, creating the role on first use. */
export async function grantAdminRole(roles: RoleRepository, userId: string): Promise<void> {
  const role = (await roles.findByName(ADMIN_ROLE))
    ?? (await roles.saveByName({ name: ADMIN_ROLE, description: 'Administers this provider', permissions: [] }, 'bootstrap'));
  await roles.setUserRoles(userId, [role.id]);
}

/**
 * @throws AppError conflict when an administrator exists (and not `force`), or the username or
 * email is taken; invalid_input for a malformed username.
 */
export async function createAdmin(deps: CreateAdminDeps, input: CreateAdminInput): Promise<{ userId: string; username: string; password: string }> {
  const admins = await deps.roles.countHolders(ADMIN_ROLE);
  if (admins > 0 && !input.force) {
    throw new AppError('conflict', `${admins} administrator(s) exist already; pass --force to create another`);
  }
  if (await deps.users.findByUsername(input.username)) throw new AppError('conflict', `a user named ${JSON.stringify(input.username)} exists already`);
  const password = oneTimePassword();
  const user = await createUser(deps, {
    username: input.username,
    ...(input.email ? { email: input.email } : {}),
    password,
    mustChangePassword: true,
    profile: { name: 'Administrator' },
  });
  await grantAdminRole(deps.roles, user.id);
  return { userId: user.id, username: user.username, password };
}
