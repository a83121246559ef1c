/**
 * Proving control of an address by link or by code, and what a proof does: a verified
 * registration email marks the email verified; a verified phone marks the phone verified; a
 * verified new email replaces the old one, which is told about the change. A proof applies only
 * if the account still holds the address it was sent to (a later change makes it moot).
 * Code guesses are limited per flow (the state machine locks it) and per IP.
 */
import { AppError } from '../../../shared/errors.js';
import type { UserRepository } from '../../users/index.js';
import { presentCode, presentLink, type VerificationFlow, type VerificationStep } from '../domain/verification-flow.js';
import { maskEmail } from '../domain/contact.js';
import type { FlowRepository, SecretDigester, StoredFlow } from '../ports.js';
import { audit, type MessagingDeps, type RequestContext, type SelfServiceLimits } from './context.js';

export interface VerifyDeps extends MessagingDeps {
  users: Pick<UserRepository, 'findById' | 'update'>;
  flows: FlowRepository;
  digester: SecretDigester;
  limits: Pick<SelfServiceLimits, 'codeAttemptsPerIp'>;
}

export type VerifyResult =
  | { outcome: 'verified'; kind: VerificationFlow['kind']; userId: string; flowId: string }
  | { outcome: 'wrong_code' | 'locked' | 'expired' | 'invalid' | 'conflict' };

function isVerification(flow: StoredFlow | undefined): flow is Extract<StoredFlow, { kind: VerificationFlow['kind'] }> {
  return !!flow && flow.kind !== 'reset_password';
}

async function store(deps: VerifyDeps, before: VerificationFlow, step: VerificationStep): Promise<boolean> {
  if (step.outcome === 'not_pending') return false;
  return deps.flows.transition(before.id, { state: before.state, attempts: before.attempts }, { state: step.flow.state, attempts: step.flow.attempts, finishedAt: step.flow.finishedAt });
}

async function apply(deps: VerifyDeps, flow: VerificationFlow, context: RequestContext): Promise<VerifyResult> {
  const user = flow.userId ? await deps.users.findById(flow.userId) : undefined;
  if (!user) return { outcome: 'invalid' };
  const base = { outcome: 'success' as const, actor: { type: 'user' as const, id: user.id }, subject: { type: 'user' as const, id: user.id } };
  const done: VerifyResult = { outcome: 'verified', kind: flow.kind, userId: user.id, flowId: flow.id };
  if (flow.kind === 'verify_email') {
    if (user.email?.toLowerCase() !== flow.target.toLowerCase()) return { outcome: 'invalid' };
    if (!user.emailVerified) await deps.users.update(user.id, { emailVerified: true });
    await audit(deps.audit, context, { ...base, type: 'user.email.verified' });
    return done;
  }
  if (flow.kind === 'verify_phone') {
    if (user.profile.phone_number !== flow.target) return { outcome: 'invalid' };
    await deps.users.update(user.id, { profile: { ...user.profile, phone_number_verified: true } });
    await audit(deps.audit, context, { ...base, type: 'user.phone.verified' });
    return done;
  }
  const previous = user.email;
  try {
    await deps.users.update(user.id, { email: flow.target, emailVerified: true });
  } catch (error) {
    // Another account verified this address first.
    if (error instanceof AppError && error.code === 'conflict') return { outcome: 'conflict' };
    throw error;
  }
  if (previous) {
    await deps.notifier.enqueue({
      channel: 'email',
      template: 'email-changed',
      locale: context.locale,
      to: previous,
      data: { username: user.username, newEmail: maskEmail(flow.target), resetLink: `${deps.settings.issuer}/account/recover` },
    });
  }
  await audit(deps.audit, context, { ...base, type: 'user.email.changed' });
  return done;
}

/** The link from a verification email. */
export async function verifyByLink(deps: VerifyDeps, token: string, context: RequestContext): Promise<VerifyResult> {
  const flow = await deps.flows.findByTokenDigest(deps.digester.digest(token));
  if (!isVerification(flow)) return { outcome: 'invalid' };
  const step = presentLink(flow, deps.clock.now());
  if (!(await store(deps, flow, step))) return { outcome: 'invalid' };
  if (step.outcome !== 'verified') return { outcome: step.outcome === 'expired' ? 'expired' : 'invalid' };
  return apply(deps, step.flow, context);
}

/** A code typed into the form of flow `flowId` (the browser knows its flow; the code alone finds nothing). */
export async function verifyByCode(deps: VerifyDeps, flowId: string, code: string, context: RequestContext, expectedUserId?: string): Promise<VerifyResult> {
  const allowed = await deps.limits.codeAttemptsPerIp.consume(`codes:${context.facts.ip ?? 'unknown'}`);
  if (!allowed.allowed) throw new AppError('rate_limited', 'too many codes tried from this address', { retryAfterSeconds: allowed.retryAfterSeconds });
  const flow = await deps.flows.findById(flowId);
  if (!isVerification(flow) || (expectedUserId !== undefined && flow.userId !== expectedUserId)) return { outcome: 'wrong_code' };
  const step = presentCode(flow, deps.digester.matches(code.trim(), flow.codeDigest), deps.clock.now());
  if (!(await store(deps, flow, step))) return { outcome: 'invalid' };
  if (step.outcome !== 'verified') {
    if (step.outcome === 'wrong_code' || step.outcome === 'locked') {
      await audit(deps.audit, context, { type: 'user.verification.failed', outcome: 'failure', actor: { type: 'anonymous' }, subject: flow.userId ? { type: 'user', id: flow.userId } : undefined, details: { kind: flow.kind, locked: step.outcome === 'locked' } });
    }
    return { outcome: step.outcome === 'not_pending' ? 'invalid' : step.outcome };
  }
  return apply(deps, step.flow, context);
}
