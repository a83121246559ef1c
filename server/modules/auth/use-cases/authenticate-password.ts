/**
 * Password sign-in. An unknown account, a disabled account and a wrong password give the same
 * answer after the same work (a dummy argon2 verification), so responses reveal nothing about
 * which accounts exist. A hash made with older parameters is upgraded after a successful login.
 */
import type { CredentialRepository, PasswordHasher, UserRepository } from '../../users/index.js';

export interface AuthenticatePasswordDeps {
  users: Pick<UserRepository, 'findByLogin'>;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
}

export type PasswordAuthResult =
  | { ok: true; userId: string; mustChangePassword: boolean }
  | { ok: false };

export async function authenticatePassword(
  deps: AuthenticatePasswordDeps,
  login: string,
  password: string,
): Promise<PasswordAuthResult> {
  const user = await deps.users.findByLogin(login);
  const credential = user ? await deps.credentials.findPassword(user.id) : undefined;
  if (!user || !credential) {
    await deps.hasher.verifyAgainstDummy(password);
    return { ok: false };
  }
  const valid = await deps.hasher.verify(credential.hash, password);
  if (!valid || user.disabled) return { ok: false };
  if (deps.hasher.needsRehash(credential.hash)) {
    await deps.credentials.setPassword(user.id, { hash: await deps.hasher.hash(password), mustChange: credential.mustChange });
  }
  return { ok: true, userId: user.id, mustChangePassword: credential.mustChange };
}
