/**
 * What a signed-in person does with their own account: profile, password, email and phone
 * changes, sessions, and apps they consented to. Every change is audited with the person as actor.
 */
import { AppError } from '../../../shared/errors.js';
import { changePassword, type CredentialRepository, type PasswordHasher, type PasswordPolicy, type Profile, type User, type UserRepository } from '../../users/index.js';
import { normalizeEmail, normalizePhone } from '../domain/contact.js';
import type { ProviderArtifacts } from '../ports.js';
import { audit, type MessagingDeps, type RequestContext } from './context.js';
import { sendVerification, type SendResult, type SendVerificationDeps } from './send-verification.js';

export interface AccountDeps extends SendVerificationDeps {
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  artifacts: ProviderArtifacts;
}

/** The profile fields a person edits here (OIDC standard claims); empty strings clear a field. */
export type ProfileChanges = Pick<Profile, 'name' | 'given_name' | 'family_name' | 'nickname' | 'locale' | 'zoneinfo' | 'website'>;

const self = (user: Pick<User, 'id'>) => ({ actor: { type: 'user' as const, id: user.id }, subject: { type: 'user' as const, id: user.id } });

export async function updateProfile(deps: Pick<AccountDeps, 'users' | 'audit'>, user: User, changes: ProfileChanges, context: RequestContext): Promise<User> {
  const profile: Profile = { ...user.profile };
  for (const [key, value] of Object.entries(changes) as Array<[keyof ProfileChanges, string | undefined]>) {
    if (value === undefined) continue;
    if (value.trim()) profile[key] = value.trim();
    else delete profile[key];
  }
  const updated = await deps.users.update(user.id, { profile });
  await audit(deps.audit, context, { ...self(user), type: 'user.profile.updated', outcome: 'success' });
  return updated;
}

/** @throws AppError invalid_credentials for a wrong current password; invalid_input (message ids) for a refused new one. */
export async function changeOwnPassword(deps: AccountDeps, user: User, current: string, next: string, context: RequestContext): Promise<void> {
  const credential = await deps.credentials.findPassword(user.id);
  if (!credential || !(await deps.hasher.verify(credential.hash, current))) {
    await audit(deps.audit, context, { ...self(user), type: 'user.password.changed', outcome: 'failure', details: { reason: 'wrong_current_password' } });
    throw new AppError('invalid_credentials', 'the current password is not right', { fields: [{ field: 'current', message: 'wrong_current_password' }] });
  }
  await changePassword(deps, user.id, next);
  await audit(deps.audit, context, { ...self(user), type: 'user.password.changed', outcome: 'success' });
}

/**
 * Sends a verification to the new address; the email changes only when it is verified. An
 * address that belongs to another account gets nothing and the answer is the same.
 * @throws AppError invalid_input for a malformed or unchanged address.
 */
export async function startEmailChange(deps: AccountDeps, user: User, typed: string, context: RequestContext): Promise<SendResult | { sent: true; flowId: undefined }> {
  const email = normalizeEmail(typed);
  if (!email) throw new AppError('invalid_input', 'invalid email', { fields: [{ field: 'email', message: 'invalid_email' }] });
  if (email.toLowerCase() === user.email?.toLowerCase()) throw new AppError('invalid_input', 'unchanged', { fields: [{ field: 'email', message: 'email_unchanged' }] });
  await audit(deps.audit, context, { ...self(user), type: 'user.email.change_requested', outcome: 'success' });
  if (await deps.users.findByLogin(email)) {
    await deps.flows.supersedePending(user.id, 'change_email', deps.clock.now());
    return { sent: true, flowId: undefined };
  }
  return sendVerification(deps, { kind: 'change_email', user, target: email }, context);
}

/** Sets (unverified) or replaces the phone number and sends it a code. @throws AppError invalid_input for a malformed number. */
export async function setPhone(deps: AccountDeps, user: User, typed: string, context: RequestContext): Promise<SendResult> {
  const phone = normalizePhone(typed);
  if (!phone) throw new AppError('invalid_input', 'invalid phone', { fields: [{ field: 'phone', message: 'invalid_phone' }] });
  if (user.profile.phone_number !== phone) {
    await deps.users.update(user.id, { profile: { ...user.profile, phone_number: phone, phone_number_verified: false } });
    await audit(deps.audit, context, { ...self(user), type: 'user.profile.updated', outcome: 'success', details: { field: 'phone_number' } });
  }
  return sendVerification(deps, { kind: 'verify_phone', user, target: phone }, context);
}

export async function removePhone(deps: Pick<AccountDeps, 'users' | 'audit'>, user: User, context: RequestContext): Promise<void> {
  const { phone_number: _number, phone_number_verified: _verified, ...profile } = user.profile;
  await deps.users.update(user.id, { profile });
  await audit(deps.audit, context, { ...self(user), type: 'user.profile.updated', outcome: 'success', details: { field: 'phone_number', removed: true } });
}

export async function endSession(deps: Pick<AccountDeps, 'artifacts' | 'audit'>, user: User, sessionId: string, context: RequestContext): Promise<boolean> {
  const ended = await deps.artifacts.endSession(user.id, sessionId);
  if (ended) await audit(deps.audit, context, { ...self(user), type: 'user.sessions.revoked', outcome: 'success', details: { sessions: 1 } });
  return ended;
}

export async function revokeApp(deps: Pick<AccountDeps, 'artifacts' | 'audit'>, user: User, grantId: string, context: RequestContext): Promise<boolean> {
  const revoked = await deps.artifacts.revokeGrant(user.id, grantId);
  if (revoked) await audit(deps.audit, context, { actor: { type: 'user', id: user.id }, subject: { type: 'grant', id: grantId }, type: 'user.grant.revoked', outcome: 'success' });
  return revoked;
}

export type { MessagingDeps };
