/** What the compliance module needs from the outside, and what it offers as a sink to others. */
import type { AuditEvent } from './domain/audit-event.js';

/**
 * Where audit events go. `record` never throws for a well-formed event the store refused to
 * take without also logging the failure: an audit outage must be visible, not silent.
 */
export interface AuditTrail {
  record(event: AuditEvent): Promise<void>;
}
