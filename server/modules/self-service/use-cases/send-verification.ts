/**
 * Starts a verification of an address: supersedes the user's pending flow of the same kind,
 * stores the new flow with digests of its secrets, and sends the link and code (email) or the
 * code (SMS). Sending is rate-limited per address and per IP, so the form cannot be used to flood
 * someone's inbox or phone. The flow and its message are written in one transaction.
 */
import type { UnitOfWork, InTransaction } from '../../../shared/unit-of-work.js';
import type { RateDecision } from '../../../shared/rate-limit.js';
import type { User } from '../../users/index.js';
import { startVerification, type VerificationKind } from '../domain/verification-flow.js';
import type { FlowRepository, IdGenerator, SecretDigester, SecretGenerator } from '../ports.js';
import { audit, minutes, spend, type MessagingDeps, type RequestContext, type SelfServiceLimits } from './context.js';

export interface SendVerificationDeps extends MessagingDeps {
  flows: FlowRepository;
  digester: SecretDigester;
  secrets: SecretGenerator;
  limits: Pick<SelfServiceLimits, 'messagesPerAddress' | 'messagesPerIp'>;
  /** A flow and its message are written in one transaction. */
  unitOfWork: UnitOfWork;
  ids: IdGenerator;
}

/** Digits of a verification code: NIST SP 800-63B §5.1.3.2 asks for at least six. */
export const CODE_DIGITS = 6;

export type SendResult = { sent: true; flowId: string } | { sent: false; decision: Extract<RateDecision, { allowed: false }> };

/** The budgets a verification spends: per address and per IP. */
export function spendForVerification(deps: SendVerificationDeps, input: { kind: VerificationKind; target: string }, context: RequestContext): Promise<RateDecision> {
  return spend([
    [deps.limits.messagesPerAddress, `${input.kind}:${input.target.toLowerCase()}`],
    [deps.limits.messagesPerIp, `messages:${context.facts.ip ?? 'unknown'}`],
  ]);
}

/**
 * Writes the flow and its message: in `options.transaction` when given (sign-up writes the
 * account in the same one), else in a transaction of its own, so a flow is never left without
 * its message or a message sent for a flow that was not stored. @returns the flow id.
 */
export async function writeVerification(
  deps: SendVerificationDeps,
  input: { kind: VerificationKind; user: Pick<User, 'id' | 'username'>; target: string; flowId?: string },
  context: RequestContext,
  options: InTransaction = {},
): Promise<string> {
  if (!options.transaction) return deps.unitOfWork.run((transaction) => writeVerification(deps, input, context, { transaction }));
  const now = deps.clock.now();
  await deps.flows.supersedePending(input.user.id, input.kind, now, options);
  const token = deps.secrets.token();
  const code = deps.secrets.code(CODE_DIGITS);
  const flow = startVerification({ id: input.flowId ?? deps.ids.newId(), kind: input.kind, userId: input.user.id, target: input.target }, now, deps.settings.verificationTtl);
  await deps.flows.create({ ...flow, tokenDigest: input.kind === 'verify_phone' ? null : deps.digester.digest(token), codeDigest: deps.digester.digest(code) }, options);
  const validMinutes = minutes(deps.settings.verificationTtl);
  if (input.kind === 'verify_phone') {
    await deps.notifier.enqueue({ channel: 'sms', template: 'verify-phone', locale: context.locale, to: input.target, data: { code, expiresInMinutes: validMinutes } }, options);
  } else {
    await deps.notifier.enqueue(
      {
        channel: 'email',
        template: 'verify-email',
        locale: context.locale,
        to: input.target,
        data: { username: input.user.username, link: `${deps.settings.issuer}/account/verify?token=${token}`, code, expiresInMinutes: validMinutes },
      },
      options,
    );
  }
  return flow.id;
}

/** Recorded once the flow and its message are committed. */
export function verificationSent(deps: Pick<SendVerificationDeps, 'audit'>, input: { kind: VerificationKind; user: Pick<User, 'id'> }, context: RequestContext): Promise<void> {
  return audit(deps.audit, context, {
    type: input.kind === 'verify_phone' ? 'user.phone.verification_sent' : 'user.email.verification_sent',
    outcome: 'success',
    actor: { type: 'user', id: input.user.id },
    subject: { type: 'user', id: input.user.id },
    details: { kind: input.kind },
  });
}

export async function sendVerification(
  deps: SendVerificationDeps,
  input: { kind: VerificationKind; user: Pick<User, 'id' | 'username'>; target: string },
  context: RequestContext,
): Promise<SendResult> {
  const decision = await spendForVerification(deps, input, context);
  if (!decision.allowed) return { sent: false, decision };
  const flowId = await writeVerification(deps, input, context);
  await verificationSent(deps, input, context);
  return { sent: true, flowId };
}
