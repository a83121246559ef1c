/**
 * Password rules after NIST SP 800-63B §5.1.1.2 (and §3.1.1.2 of its revision 4): a minimum
 * length (configurable, never below 8), a generous maximum, no composition rules, refusing
 * passwords found in a list of commonly used / breached passwords, and refusing passwords that
 * are trivially tied to the account. Returns message ids (translated by the pages), not sentences.
 */
export const PASSWORD_MIN_LENGTH = 12;
// Long passphrases are welcome; the cap only bounds the hashing cost of a single request.
export const PASSWORD_MAX_LENGTH = 256;
/** NIST's floor for memorized secrets chosen by the user: configuration may not go below it. */
export const PASSWORD_MIN_LENGTH_FLOOR = 8;

export type PasswordProblem = 'password_too_short' | 'password_too_long' | 'password_matches_username' | 'password_breached';

/** A list of passwords known from breaches or too common to be safe; membership is case-insensitive. */
export interface PasswordBlocklist {
  has(lowercasePassword: string): boolean;
}

export interface PasswordPolicy {
  minLength: number;
  blocklist?: PasswordBlocklist;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { minLength: PASSWORD_MIN_LENGTH };

export function passwordProblems(
  password: string,
  context: { username?: string; email?: string | null } = {},
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < policy.minLength) problems.push('password_too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('password_too_long');
  const lowered = password.toLowerCase();
  const email = context.email?.toLowerCase();
  // The whole email, and its local part: "alice.smith@…" must not be the password "alice.smith".
  const tied = [context.username?.toLowerCase(), email, email?.split('@')[0]].filter((v): v is string => !!v);
  if (tied.includes(lowered)) problems.push('password_matches_username');
  if (policy.blocklist?.has(lowered)) problems.push('password_breached');
  return problems;
}
