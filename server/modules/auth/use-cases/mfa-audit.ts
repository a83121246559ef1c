/** One way for the MFA use cases to write audit records: identifiers and outcomes, never a code or secret. */
import type { AuditDetails, AuditEventType, AuditOutcome, AuditTrail, RequestFacts } from '../../compliance/index.js';

export interface AuditContext extends RequestFacts {
  clientId?: string;
}

export function recordFor(audit: AuditTrail) {
  return (type: AuditEventType, outcome: AuditOutcome, userId: string | undefined, facts: AuditContext = {}, details?: AuditDetails) =>
    audit.record({
      type,
      outcome,
      actor: userId ? { type: 'user', id: userId } : { type: 'anonymous' },
      ...(userId ? { subject: { type: 'user' as const, id: userId } } : {}),
      ...facts,
      ...(details ? { details } : {}),
    });
}
