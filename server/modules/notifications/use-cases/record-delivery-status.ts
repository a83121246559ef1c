/**
 * A provider's callback about a message it accepted (Twilio status callback, SES event via SNS).
 * The HTTP layer has verified the callback's signature before calling this. A report that the
 * message did not arrive (undelivered, failed, bounce, complaint, reject) is also audited as
 * notification.failed, so delivery problems appear where an operator looks for them.
 */
import type { AuditTrail } from '../../compliance/index.js';
import type { Outbox } from '../ports.js';

export interface ProviderStatus {
  provider: 'twilio' | 'ses';
  providerMessageId: string;
  /** The provider's own vocabulary, lower-case: delivered, undelivered, failed, bounce, complaint... */
  status: string;
  /** A provider error code or short reason; never the recipient. */
  error?: string;
}

const NOT_DELIVERED = new Set(['undelivered', 'failed', 'bounce', 'complaint', 'reject', 'renderingfailure']);

/** @returns false when no outbox message carries that provider id (the caller answers 2xx anyway, so the provider stops retrying). */
export async function recordDeliveryStatus(deps: { outbox: Outbox; audit?: AuditTrail }, report: ProviderStatus): Promise<boolean> {
  const known = await deps.outbox.recordProviderStatus(report.provider, report.providerMessageId, report.status, report.error);
  if (known && deps.audit && NOT_DELIVERED.has(report.status)) {
    await deps.audit.record({
      type: 'notification.failed',
      outcome: 'failure',
      actor: { type: 'system' },
      details: { provider: report.provider, providerMessageId: report.providerMessageId, status: report.status, reason: report.error ?? null },
    });
  }
  return known;
}
