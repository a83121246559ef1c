/**
 * Sign-up: a username, an email, a password under the policy, optionally a phone number. The
 * account starts with an unverified email and a verification is sent at once.
 * No enumeration: when the email belongs to an account already, the answer is the same as for a
 * new one (a flow id that will never verify) and the existing address is told instead — its
 * owner learns that someone tried, nobody else learns that the address is registered. The same
 * argon2 work is spent either way. Usernames are public handles and cannot be kept secret: a
 * taken one is reported so the person can choose another.
 */
import { AppError, type FieldProblem } from '../../../shared/errors.js';
import { newId } from '../../../shared/ids.js';
import { createUser, passwordProblems, USERNAME_PATTERN, type CredentialRepository, type PasswordHasher, type PasswordPolicy, type UserRepository } from '../../users/index.js';
import { normalizeEmail, normalizePhone } from '../domain/contact.js';
import { audit, spend, type RequestContext } from './context.js';
import { sendVerification, type SendVerificationDeps } from './send-verification.js';

export interface RegisterDeps extends SendVerificationDeps {
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
}

export interface RegistrationInput {
  username: string;
  email: string;
  password: string;
  phone?: string;
}

/** What the browser keeps: the flow to type the code for, and (only for a real sign-up) the account. */
export type RegistrationResult = { flowId: string; userId: string | undefined };

/** @throws AppError invalid_input with field message ids; rate_limited when this address or IP sent too many. */
export async function register(deps: RegisterDeps, input: RegistrationInput, context: RequestContext): Promise<RegistrationResult> {
  const fields: FieldProblem[] = [];
  const username = input.username.trim().normalize('NFKC');
  const email = normalizeEmail(input.email);
  const phone = input.phone?.trim() ? normalizePhone(input.phone) : undefined;
  if (!USERNAME_PATTERN.test(username)) fields.push({ field: 'username', message: 'invalid_username' });
  if (!email) fields.push({ field: 'email', message: 'invalid_email' });
  if (input.phone?.trim() && !phone) fields.push({ field: 'phone', message: 'invalid_phone' });
  for (const problem of passwordProblems(input.password, { username, email }, deps.policy)) fields.push({ field: 'password', message: problem });
  if (!fields.length && (await deps.users.findByUsername(username))) fields.push({ field: 'username', message: 'username_taken' });
  if (fields.length) throw new AppError('invalid_input', 'the registration form has problems', { fields });

  // Accounts per IP: without it one host could create accounts without end (each is also one message).
  const creation = await deps.limits.messagesPerIp.consume(`register:${context.facts.ip ?? 'unknown'}`);
  if (!creation.allowed) throw new AppError('rate_limited', 'too many sign-ups from this address', { retryAfterSeconds: creation.retryAfterSeconds });

  const existing = await deps.users.findByLogin(email!);
  if (existing) {
    const decision = await spend([
      [deps.limits.messagesPerAddress, `verify_email:${email!.toLowerCase()}`],
      [deps.limits.messagesPerIp, `messages:${context.facts.ip ?? 'unknown'}`],
    ]);
    await deps.hasher.hash(input.password);
    if (!decision.allowed) throw new AppError('rate_limited', 'too many messages', { retryAfterSeconds: decision.retryAfterSeconds });
    await deps.notifier.enqueue({
      channel: 'email',
      template: 'account-exists',
      locale: context.locale,
      to: existing.email!,
      data: { username: existing.username, resetLink: `${deps.settings.issuer}/account/recover` },
    });
    await audit(deps.audit, context, { type: 'user.registered', outcome: 'denied', actor: { type: 'anonymous' }, subject: { type: 'user', id: existing.id }, details: { reason: 'email_in_use' } });
    return { flowId: newId(), userId: undefined };
  }

  let user;
  try {
    user = await createUser(deps, { username, email, emailVerified: false, password: input.password, profile: phone ? { phone_number: phone, phone_number_verified: false } : {} });
  } catch (error) {
    // Lost a race with another sign-up for the same username or email.
    if (error instanceof AppError && error.code === 'conflict') throw new AppError('invalid_input', 'taken', { fields: [{ field: 'username', message: 'username_taken' }] });
    throw error;
  }
  await audit(deps.audit, context, { type: 'user.registered', outcome: 'success', actor: { type: 'user', id: user.id }, subject: { type: 'user', id: user.id }, details: { phone: !!phone } });
  const sent = await sendVerification(deps, { kind: 'verify_email', user, target: email! }, context);
  if (phone) await sendVerification(deps, { kind: 'verify_phone', user, target: phone }, context);
  // A refused send still created the account: the person can ask for a new code later.
  return { flowId: sent.sent ? sent.flowId : newId(), userId: user.id };
}
