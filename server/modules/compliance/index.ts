/** The compliance module's public face: the audit event catalogue and the sink port. */
export { AUDIT_EVENT_TYPES } from './domain/audit-event.js';
export type { AuditActor, AuditDetails, AuditEvent, AuditEventType, AuditOutcome, AuditSubject, RequestFacts } from './domain/audit-event.js';
export type { AuditTrail } from './ports.js';
export { changeEvent, type Acting } from './domain/acting.js';
