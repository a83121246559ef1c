/**
 * Sign-up: a username, an email, a password under the policy, optionally a phone number. The
 * account starts with an unverified email and a verification is sent.
 * No enumeration by email (OWASP Authentication Cheat Sheet, "user IDs" and "account creation"):
 * the request does the same work for any address — it validates, spends the budgets, hashes the
 * password, chooses the account and flow ids, and writes one outbox task — and answers the same.
 * Whether the address has an account is looked up only by the task, after the answer
 * (fulfilRegistration): then either the account, its verification flow and its message are
 * written in one transaction, or the existing address is told that someone tried to sign up.
 * Usernames are public handles (the cheat sheet's case of identifiers that must be unique and are
 * shown to others): sign-up cannot hide that one is taken, so a taken one is reported and the
 * person chooses another; every look-up spends the per-IP sign-up budget first, so probing names
 * is as slow as creating accounts.
 * "Use a different address": a sign-up may replace the one this browser made before (the account
 * id its signed cookie holds). Its username is not "taken" by that earlier account while the
 * account's email is unverified, and the task deletes that account before making the new one. So
 * the answer stays the same whether the first address was free (an account was made) or taken
 * (none was): the request only compares an id it already read.
 */
import { AppError, type FieldProblem } from '../../../shared/errors.js';
import { createUser, passwordProblems, USERNAME_PATTERN, type CredentialRepository, type PasswordHasher, type PasswordPolicy, type User, type UserRepository } from '../../users/index.js';
import { normalizeEmail, normalizePhone } from '../domain/contact.js';
import { audit, type RequestContext } from './context.js';
import type { DeferredRegistration, DeferredTasks } from '../ports.js';
import { spendForVerification, verificationSent, writeVerification, type SendVerificationDeps } from './send-verification.js';

export interface RegisterDeps extends SendVerificationDeps {
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  /** Where the account-specific part goes, so the answer takes as long for any address. */
  tasks: DeferredTasks;
}

export interface RegistrationInput {
  username: string;
  email: string;
  /** Absent: sign-up with a passkey, created once the email is verified (docs/passkeys.md). */
  password?: string | undefined;
  phone?: string;
  /** The account id an earlier sign-up in this browser chose, which this one replaces. */
  replacing?: string | undefined;
}

/**
 * What the browser keeps: the flow to type the code for and the account it is for. Both are
 * chosen for any address, so the answer (and its cookie) has the same shape whether or not the
 * address had an account; for a taken address the flow never exists and never verifies.
 */
export type RegistrationResult = { flowId: string; userId: string };

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
  if (input.password !== undefined) for (const problem of passwordProblems(input.password, { username, email }, deps.policy)) fields.push({ field: 'password', message: problem });
  if (fields.length || !email) throw new AppError('invalid_input', 'the registration form has problems', { fields });

  // Accounts per IP: without it one host could create accounts without end (each is also one
  // message). Spent before the username look-up, so the look-up is rate-limited too.
  const creation = await deps.limits.messagesPerIp.consume(`register:${context.facts.ip ?? 'unknown'}`);
  if (!creation.allowed) throw new AppError('rate_limited', 'too many sign-ups from this address', { retryAfterSeconds: creation.retryAfterSeconds });
  const holder = await deps.users.findByUsername(username);
  if (holder && !(input.replacing !== undefined && holder.id === input.replacing && !holder.emailVerified)) throw TAKEN();

  // From here every address gets the same work before the answer.
  const emailBudget = await spendForVerification(deps, { kind: 'verify_email', target: email }, context);
  const phoneBudget = phone ? await spendForVerification(deps, { kind: 'verify_phone', target: phone }, context) : undefined;
  const registration: DeferredRegistration = {
    userId: deps.ids.newId(),
    flowId: deps.ids.newId(),
    username,
    email,
    // A passkey sign-up hashes nothing whatever the address: the same work either way.
    ...(input.password !== undefined ? { passwordHash: await deps.hasher.hash(input.password) } : {}),
    ...(phone ? { phone } : {}),
    emailAllowed: emailBudget.allowed,
    phoneAllowed: phoneBudget?.allowed ?? false,
    ...(input.replacing ? { replaces: input.replacing } : {}),
  };
  await deps.tasks.defer({ type: 'registration', registration, locale: context.locale, facts: context.facts });
  return { flowId: registration.flowId, userId: registration.userId };
}

/**
 * The account-specific part of a sign-up, run by the outbox worker. Lost races (another sign-up
 * took the username or the address between the request and now) are recorded, not retried.
 */
export async function fulfilRegistration(deps: RegisterDeps, registration: DeferredRegistration, context: RequestContext): Promise<void> {
  const { email, phone } = registration;
  if (registration.replaces) await dropReplaced(deps, registration.replaces, context);
  const existing = await deps.users.findByLogin(email);
  if (existing) return tellExistingAddress(deps, existing, registration, context);

  let created;
  try {
    created = await deps.unitOfWork.run(async (transaction) => {
      const user = await createUser(
        deps,
        { id: registration.userId, username: registration.username, email, emailVerified: false, ...(registration.passwordHash ? { passwordHash: registration.passwordHash } : {}), profile: phone ? { phone_number: phone, phone_number_verified: false } : {} },
        { transaction },
      );
      // A refused send still creates the account: the person can ask for a new code later.
      const emailFlow = registration.emailAllowed ? await writeVerification(deps, { kind: 'verify_email', user, target: email, flowId: registration.flowId }, context, { transaction }) : undefined;
      const phoneFlow = phone && registration.phoneAllowed ? await writeVerification(deps, { kind: 'verify_phone', user, target: phone }, context, { transaction }) : undefined;
      return { user, emailFlow, phoneFlow };
    });
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    const winner = await deps.users.findByLogin(email);
    if (winner) return tellExistingAddress(deps, winner, registration, context);
    await audit(deps.audit, context, { type: 'user.registered', outcome: 'denied', actor: { type: 'anonymous' }, details: { reason: 'username_taken' } });
    return;
  }
  const { user, emailFlow, phoneFlow } = created;
  await audit(deps.audit, context, { type: 'user.registered', outcome: 'success', actor: { type: 'user', id: user.id }, subject: { type: 'user', id: user.id }, details: { phone: !!phone, passkey: !registration.passwordHash } });
  if (emailFlow) await verificationSent(deps, { kind: 'verify_email', user }, context);
  if (phoneFlow) await verificationSent(deps, { kind: 'verify_phone', user }, context);
}

/** The address has an account: its owner is told (within the budget the request spent), nothing is created. */
async function tellExistingAddress(deps: RegisterDeps, existing: User, registration: DeferredRegistration, context: RequestContext): Promise<void> {
  if (registration.emailAllowed && existing.email) {
    await deps.notifier.enqueue({
      channel: 'email',
      template: 'account-exists',
      locale: context.locale,
      to: existing.email,
      data: { username: existing.username, resetLink: `${deps.settings.issuer}/account/recover` },
    });
  }
  await audit(deps.audit, context, { type: 'user.registered', outcome: 'denied', actor: { type: 'anonymous' }, subject: { type: 'user', id: existing.id }, details: { reason: 'email_in_use' } });
}

/**
 * The earlier sign-up of this browser, replaced by a new address: its account goes if it was made
 * and is still unverified (never one whose owner proved the address, and only at the version read,
 * so a verification in between wins). Nothing was made for a taken address: nothing to do.
 */
async function dropReplaced(deps: RegisterDeps, userId: string, context: RequestContext): Promise<void> {
  const earlier = await deps.users.findById(userId);
  if (!earlier || earlier.emailVerified) return;
  try {
    await deps.users.deleteVersioned(earlier.id, [earlier.version]);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'precondition_failed')) return;
    throw error;
  }
  await audit(deps.audit, context, { type: 'user.registration.replaced', outcome: 'success', actor: { type: 'anonymous' }, subject: { type: 'user', id: earlier.id } });
}
