/**
 * Sign-up: a username, an email, a password under the policy, optionally a phone number. The
 * account starts with an unverified email and a verification is sent at once: the account, its
 * password, the verification flow and its message are written in one transaction, so neither is
 * left without the other.
 * No enumeration by email: when the email belongs to an account already, the answer is the same
 * as for a new one (a flow id that will never verify) and the existing address is told instead;
 * both paths spend the same budgets, one argon2 hash and one outbox message before answering.
 * Usernames are public handles (OWASP Authentication Cheat Sheet: where identifiers must be
 * unique, sign-up cannot hide that one is taken): a taken one is reported so the person can
 * choose another, but every look-up spends the per-IP sign-up budget, so probing names is as
 * slow as creating accounts.
 */
import { AppError, type FieldProblem } from '../../../shared/errors.js';
import { createUser, passwordProblems, USERNAME_PATTERN, type CredentialRepository, type PasswordHasher, type PasswordPolicy, type UserRepository } from '../../users/index.js';
import { normalizeEmail, normalizePhone } from '../domain/contact.js';
import { audit, type RequestContext } from './context.js';
import { spendForVerification, verificationSent, writeVerification, type SendVerificationDeps } from './send-verification.js';

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

const TAKEN = () => new AppError('invalid_input', 'taken', { fields: [{ field: 'username', message: 'username_taken' }] });

/** @throws AppError invalid_input with field message ids; rate_limited when this IP signed up (or probed names) too often. */
export async function register(deps: RegisterDeps, input: RegistrationInput, context: RequestContext): Promise<RegistrationResult> {
  const fields: FieldProblem[] = [];
  const username = input.username.trim().normalize('NFKC');
  const email = normalizeEmail(input.email);
  const phone = input.phone?.trim() ? normalizePhone(input.phone) : undefined;
  if (!USERNAME_PATTERN.test(username)) fields.push({ field: 'username', message: 'invalid_username' });
  if (!email) fields.push({ field: 'email', message: 'invalid_email' });
  if (input.phone?.trim() && !phone) fields.push({ field: 'phone', message: 'invalid_phone' });
  for (const problem of passwordProblems(input.password, { username, email }, deps.policy)) fields.push({ field: 'password', message: problem });
  if (fields.length || !email) throw new AppError('invalid_input', 'the registration form has problems', { fields });

  // Accounts per IP: without it one host could create accounts without end (each is also one
  // message). Spent before the username look-up, so the look-up is rate-limited too.
  const creation = await deps.limits.messagesPerIp.consume(`register:${context.facts.ip ?? 'unknown'}`);
  if (!creation.allowed) throw new AppError('rate_limited', 'too many sign-ups from this address', { retryAfterSeconds: creation.retryAfterSeconds });
  if (await deps.users.findByUsername(username)) throw TAKEN();

  // From here both paths do the same work before answering.
  const existing = await deps.users.findByLogin(email);
  const emailBudget = await spendForVerification(deps, { kind: 'verify_email', target: email }, context);
  const phoneBudget = phone ? await spendForVerification(deps, { kind: 'verify_phone', target: phone }, context) : undefined;
  const passwordHash = await deps.hasher.hash(input.password);

  if (existing) {
    // A refused budget answers like a refused send for a new account: the page gives nothing away.
    if (emailBudget.allowed) {
      await deps.notifier.enqueue({
        channel: 'email',
        template: 'account-exists',
        locale: context.locale,
        to: existing.email!,
        data: { username: existing.username, resetLink: `${deps.settings.issuer}/account/recover` },
      });
    }
    await audit(deps.audit, context, { type: 'user.registered', outcome: 'denied', actor: { type: 'anonymous' }, subject: { type: 'user', id: existing.id }, details: { reason: 'email_in_use' } });
    return { flowId: deps.ids.newId(), userId: undefined };
  }

  let created;
  try {
    created = await deps.unitOfWork.run(async (transaction) => {
      const user = await createUser(deps, { username, email, emailVerified: false, passwordHash, profile: phone ? { phone_number: phone, phone_number_verified: false } : {} }, { transaction });
      // A refused send still creates the account: the person can ask for a new code later.
      const emailFlow = emailBudget.allowed ? await writeVerification(deps, { kind: 'verify_email', user, target: email }, context, { transaction }) : undefined;
      const phoneFlow = phone && phoneBudget?.allowed ? await writeVerification(deps, { kind: 'verify_phone', user, target: phone }, context, { transaction }) : undefined;
      return { user, emailFlow, phoneFlow };
    });
  } catch (error) {
    // Lost a race with another sign-up for the same username or email.
    if (error instanceof AppError && error.code === 'conflict') throw TAKEN();
    throw error;
  }
  const { user, emailFlow, phoneFlow } = created;
  await audit(deps.audit, context, { type: 'user.registered', outcome: 'success', actor: { type: 'user', id: user.id }, subject: { type: 'user', id: user.id }, details: { phone: !!phone } });
  if (emailFlow) await verificationSent(deps, { kind: 'verify_email', user }, context);
  if (phoneFlow) await verificationSent(deps, { kind: 'verify_phone', user }, context);
  return { flowId: emailFlow ?? deps.ids.newId(), userId: user.id };
}
