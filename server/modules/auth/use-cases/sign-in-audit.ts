/**
 * Every audit record of a sign-in, written here and nowhere else (the lockout and the factors'
 * own use cases add `auth.lockout` and recovery-code records). Identifiers and outcomes only:
 * never the name as typed (people type passwords into it), a code or a secret.
 */
import type { AuditTrail } from '../../compliance/index.js';
import type { MfaDecision } from '../domain/mfa-policy.js';
import type { AuthenticationContext } from '../domain/authentication-context.js';
import type { AuditContext } from './mfa-audit.js';

const user = (id: string) => ({ actor: { type: 'user' as const, id }, subject: { type: 'user' as const, id } });

export function signInAudit(audit: AuditTrail) {
  return {
    throttled: (facts: AuditContext, retryAfter: number) =>
      audit.record({ type: 'auth.login.throttled', outcome: 'denied', actor: { type: 'anonymous' }, ...facts, details: { retryAfter } }),
    passwordFailed: (facts: AuditContext) =>
      audit.record({ type: 'auth.login.failure', outcome: 'failure', actor: { type: 'anonymous' }, ...facts, details: { stage: 'password' } }),
    challenged: (userId: string, facts: AuditContext, decision: Exclude<MfaDecision, { action: 'none' }>) =>
      audit.record({
        type: 'auth.mfa.challenge',
        outcome: 'success',
        ...user(userId),
        ...facts,
        details: { action: decision.action, reason: decision.reason, ...(decision.action === 'challenge' ? { factors: decision.factors.join(' ') } : {}) },
      }),
    factorFailed: (userId: string, facts: AuditContext, factor: string) =>
      audit.record({ type: 'auth.mfa.failure', outcome: 'failure', ...user(userId), ...facts, details: { factor } }),
    factorPassed: (userId: string, facts: AuditContext, factor: string) =>
      audit.record({ type: 'auth.mfa.success', outcome: 'success', ...user(userId), ...facts, details: { factor } }),
    signedIn: (userId: string, facts: AuditContext, context: AuthenticationContext, via: string | undefined) =>
      audit.record({ type: 'auth.login.success', outcome: 'success', ...user(userId), ...facts, details: { amr: context.amr.join(' '), acr: context.acr, ...(via ? { mfa: via } : {}) } }),
  };
}
