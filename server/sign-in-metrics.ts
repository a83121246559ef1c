/**
 * Sign-in outcomes on /metrics, derived from the audit events the sign-in steps already record
 * (one source of truth: a step that audits is counted, and nothing is counted that was not audited).
 */
import type { AuditEventType, AuditTrail } from './modules/compliance/index.js';
import type { LoginOutcome, Metrics } from './shared/metrics.js';

const OUTCOME_OF: Partial<Record<AuditEventType, LoginOutcome>> = {
  'auth.login.success': 'success',
  'auth.login.failure': 'failure',
  'auth.login.throttled': 'throttled',
  'auth.lockout': 'locked',
  'auth.mfa.challenge': 'mfa_required',
  'auth.mfa.success': 'mfa_success',
  'auth.mfa.failure': 'mfa_failure',
};

export function countingSignIns(audit: AuditTrail, metrics: Pick<Metrics, 'loginAttempt'>): AuditTrail {
  return {
    async record(event) {
      const outcome = OUTCOME_OF[event.type];
      if (outcome) metrics.loginAttempt(outcome);
      await audit.record(event);
    },
  };
}
