/**
 * "Forgot password?": a single-use, expiring reset link to the account's email. The request
 * answers the same whether or not an account has that email, after the same work (the lookup
 * and the link happen afterwards, in the outbox worker), and is throttled per typed address
 * and per IP alike, so throttling reveals nothing either. Completing a reset sets the password
 * under the policy and then ends everything a thief might hold: every session, every grant, with
 * its refresh and access tokens, and every device trusted to skip the second factor.
 */
import { AppError } from '../../../shared/errors.js';
import { passwordProblems, type CredentialRepository, type PasswordHasher, type PasswordPolicy, type UserRepository } from '../../users/index.js';
import { normalizeEmail } from '../domain/contact.js';
import { completeReset, openResetLink, requestReset, type RecoveryFlow } from '../domain/recovery-flow.js';
import type { DeferredTasks, FlowRepository, IdGenerator, ProviderArtifacts, SecretDigester, SecretGenerator, StoredFlow, TrustedDeviceReset } from '../ports.js';
import { audit, minutes, spend, type MessagingDeps, type RequestContext, type SelfServiceLimits } from './context.js';

export interface RecoveryDeps extends MessagingDeps {
  users: Pick<UserRepository, 'findById' | 'findByLogin'>;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  policy: PasswordPolicy;
  flows: FlowRepository;
  digester: SecretDigester;
  secrets: SecretGenerator;
  ids: IdGenerator;
  /** Where the account-specific part of a reset request goes, so the answer takes as long for any address. */
  tasks: DeferredTasks;
  artifacts: Pick<ProviderArtifacts, 'revokeEverything'>;
  limits: Pick<SelfServiceLimits, 'messagesPerAddress' | 'messagesPerIp'>;
  /** Absent when MFA is not wired (tests of recovery alone). */
  trustedDevices?: TrustedDeviceReset;
}

/**
 * Answers the same whether or not an account has this address, after the same work: the
 * budgets are spent and one task is written; fulfilResetRequest does the rest after the answer.
 * @throws AppError rate_limited (for any address, existing or not).
 */
export async function requestPasswordReset(deps: RecoveryDeps, typedEmail: string, context: RequestContext): Promise<void> {
  const email = normalizeEmail(typedEmail);
  const decision = await spend([
    [deps.limits.messagesPerAddress, `reset:${(email ?? typedEmail).toLowerCase()}`],
    [deps.limits.messagesPerIp, `messages:${context.facts.ip ?? 'unknown'}`],
  ]);
  if (!decision.allowed) throw new AppError('rate_limited', 'too many reset requests', { retryAfterSeconds: decision.retryAfterSeconds });
  await deps.tasks.defer({ type: 'password-reset', email: email ?? typedEmail, locale: context.locale, facts: context.facts });
}

/** The account-specific part of a reset request, run by the outbox worker: a link for an account, nothing otherwise; audited either way. */
export async function fulfilResetRequest(deps: RecoveryDeps, typedEmail: string, context: RequestContext): Promise<void> {
  const email = normalizeEmail(typedEmail);
  const user = email ? await deps.users.findByLogin(email) : undefined;
  if (!user || user.disabled || !user.email) {
    await audit(deps.audit, context, { type: 'user.password.reset_requested', outcome: 'failure', actor: { type: 'anonymous' }, details: { reason: 'no_such_account' } });
    return;
  }
  const now = deps.clock.now();
  await deps.flows.supersedePending(user.id, 'reset_password', now);
  const token = deps.secrets.token();
  const flow = requestReset({ id: deps.ids.newId(), userId: user.id, target: user.email }, now, deps.settings.resetTtl);
  await deps.flows.create({ ...flow, kind: 'reset_password', attempts: 0, tokenDigest: deps.digester.digest(token), codeDigest: null });
  await deps.notifier.enqueue({
    channel: 'email',
    template: 'password-reset',
    locale: context.locale,
    to: user.email,
    data: { username: user.username, link: `${deps.settings.issuer}/account/reset?token=${token}`, expiresInMinutes: minutes(deps.settings.resetTtl) },
  });
  await audit(deps.audit, context, { type: 'user.password.reset_requested', outcome: 'success', actor: { type: 'anonymous' }, subject: { type: 'user', id: user.id } });
}

type ResetFlow = Extract<StoredFlow, { kind: 'reset_password' }>;

async function findReset(deps: RecoveryDeps, token: string): Promise<ResetFlow | undefined> {
  if (!token || token.length > 200) return undefined;
  const flow = await deps.flows.findByTokenDigest(deps.digester.digest(token));
  return flow?.kind === 'reset_password' ? flow : undefined;
}

/** Whether a reset link can still be used; opening it does not spend it. */
export async function checkResetLink(deps: RecoveryDeps, token: string): Promise<'usable' | 'expired' | 'invalid'> {
  const flow = await findReset(deps, token);
  if (!flow) return 'invalid';
  const { outcome } = openResetLink(flow, deps.clock.now());
  return outcome === 'usable' ? 'usable' : outcome === 'expired' ? 'expired' : 'invalid';
}

/**
 * Spends the link and sets the password. A password the policy refuses leaves the link usable.
 * @throws AppError invalid_input (field `password`) for a refused password; not_found for a link that is spent, expired or unknown.
 */
export async function resetPassword(deps: RecoveryDeps, token: string, password: string, context: RequestContext): Promise<{ userId: string }> {
  const flow = await findReset(deps, token);
  const user = flow ? await deps.users.findById(flow.userId) : undefined;
  if (!flow || !user) throw new AppError('not_found', 'this reset link is not valid');
  const problems = passwordProblems(password, { username: user.username, email: user.email }, deps.policy);
  if (problems.length) throw new AppError('invalid_input', 'refused', { fields: problems.map((message) => ({ field: 'password', message })) });
  const step = completeReset(flow as RecoveryFlow, deps.clock.now());
  const stored = step.outcome !== 'not_requested'
    && (await deps.flows.transition(flow.id, { state: flow.state, attempts: flow.attempts }, { state: step.flow.state, attempts: flow.attempts, finishedAt: step.flow.finishedAt }));
  if (!stored || step.outcome !== 'completed') throw new AppError('not_found', 'this reset link is no longer valid');
  await deps.credentials.setPassword(user.id, { hash: await deps.hasher.hash(password), mustChange: false });
  const revoked = await deps.artifacts.revokeEverything(user.id);
  const devices = (await deps.trustedDevices?.forgetAll(user.id, context.facts)) ?? 0;
  const who = { actor: { type: 'user' as const, id: user.id }, subject: { type: 'user' as const, id: user.id } };
  await audit(deps.audit, context, { ...who, type: 'user.password.reset', outcome: 'success' });
  await audit(deps.audit, context, { ...who, type: 'user.sessions.revoked', outcome: 'success', details: { sessions: revoked.sessions, grants: revoked.grants, trustedDevices: devices, reason: 'password_reset' } });
  return { userId: user.id };
}
