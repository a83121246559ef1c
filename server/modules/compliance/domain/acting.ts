/** Who acts in a request, and the audit event a change made by them records. */
import type { AuditActor, AuditDetails, AuditEvent, AuditEventType, AuditSubject, RequestFacts } from './audit-event.js';

/** The acting principal (and the client it acts through) and the request facts every audit event of the request carries. */
export type Acting = RequestFacts & { actor: AuditActor; clientId?: string | undefined };

/** A successful change by `by` to `subject`; absent facts are left out rather than set to undefined. */
export function changeEvent(by: Acting, type: AuditEventType, subject: AuditSubject, details?: AuditDetails): AuditEvent {
  return {
    type,
    outcome: 'success',
    actor: by.actor,
    subject,
    ...(by.clientId ? { clientId: by.clientId } : {}),
    ...(by.ip ? { ip: by.ip } : {}),
    ...(by.userAgent ? { userAgent: by.userAgent } : {}),
    ...(by.requestId ? { requestId: by.requestId } : {}),
    ...(details ? { details } : {}),
  };
}
