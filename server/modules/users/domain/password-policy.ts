/**
 * Password rules after NIST SP 800-63B §5.1.1.2: a minimum length, a generous maximum, no
 * composition rules, and refusing passwords that are trivially tied to the account.
 * Returns message ids (translated by the pages), not sentences.
 */
export const PASSWORD_MIN_LENGTH = 12;
// Long passphrases are welcome; the cap only bounds the hashing cost of a single request.
export const PASSWORD_MAX_LENGTH = 256;

export type PasswordProblem = 'password_too_short' | 'password_too_long' | 'password_matches_username';

export function passwordProblems(password: string, context: { username?: string; email?: string | null } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('password_too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('password_too_long');
  const lowered = password.toLowerCase();
  if ([context.username, context.email].some((v) => v && lowered === v.toLowerCase())) problems.push('password_matches_username');
  return problems;
}
