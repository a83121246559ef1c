/** Sets a new password for a user, enforcing the password policy. */
import { AppError } from '../../../shared/errors.js';
import { passwordProblems, type PasswordPolicy } from '../domain/password-policy.js';
import type { CredentialRepository, PasswordHasher, UserRepository } from '../ports.js';

export interface ChangePasswordDeps {
  users: Pick<UserRepository, 'findById'>;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  /** The configured policy; the built-in default (length rules only) when absent. */
  policy?: PasswordPolicy;
}

/** @throws AppError invalid_input (field `password`, message id) when the policy refuses it; not_found for an unknown user. */
export async function changePassword(deps: ChangePasswordDeps, userId: string, newPassword: string): Promise<void> {
  const user = await deps.users.findById(userId);
  if (!user) throw new AppError('not_found', 'user not found');
  const problems = passwordProblems(newPassword, { username: user.username, email: user.email }, deps.policy);
  if (problems.length) {
    throw new AppError('invalid_input', 'the new password does not meet the policy', {
      fields: problems.map((message) => ({ field: 'password', message })),
    });
  }
  const current = await deps.credentials.findPassword(userId);
  if (current && (await deps.hasher.verify(current.hash, newPassword))) {
    throw new AppError('invalid_input', 'the new password must differ from the current one', {
      fields: [{ field: 'password', message: 'password_unchanged' }],
    });
  }
  await deps.credentials.setPassword(userId, { hash: await deps.hasher.hash(newPassword), mustChange: false });
}
