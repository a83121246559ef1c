/**
 * A provider's callback about a message it accepted (Twilio status callback, SES event via SNS).
 * The HTTP layer has verified the callback's signature before calling this.
 */
import type { Outbox } from '../ports.js';

export interface ProviderStatus {
  provider: 'twilio' | 'ses';
  providerMessageId: string;
  /** The provider's own vocabulary, lower-case: delivered, undelivered, failed, bounce, complaint... */
  status: string;
  /** A provider error code or short reason; never the recipient. */
  error?: string;
}

/** @returns false when no outbox message carries that provider id (the caller answers 200 anyway, so the provider stops retrying). */
export async function recordDeliveryStatus(deps: { outbox: Outbox }, report: ProviderStatus): Promise<boolean> {
  return deps.outbox.recordProviderStatus(report.provider, report.providerMessageId, report.status, report.error);
}
