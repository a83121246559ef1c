/**
 * What a channel reports back. A channel that fails throws DeliveryError saying whether trying
 * again can help (an SMTP 4xx, an HTTP 5xx, a timeout) or cannot (a rejected recipient, a
 * template that does not exist). Errors are stored and logged only after `sanitizeError`.
 */

export interface DeliveryReceipt {
  /** smtp, ses, twilio, sns, log, webhook. */
  provider: string;
  /** The provider's id of the message (SMTP Message-ID, Twilio SID, SES/SNS MessageId). */
  providerMessageId?: string;
  /** HTTP status of the provider's (or webhook endpoint's) answer, when there was one. */
  responseStatus?: number;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly provider: string,
    readonly responseStatus?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Longest error text kept per attempt: enough for an SMTP reply or a provider error code. */
const MAX_ERROR_LENGTH = 300;

/**
 * Strips what must not be stored with a delivery log: email addresses, phone numbers, URLs'
 * paths and queries (verification links), and long opaque strings (tokens, codes).
 */
export function sanitizeError(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\s@<>"']+@[^\s@<>"']+/g, '<address>')
    .replace(/\b(https?:\/\/[^\s/?#]+)[^\s]*/gi, '$1/…')
    // International numbers (+…) and long digit runs; SMTP reply codes such as `550 5.1.1` stay readable.
    .replace(/\+\d[\d\s().-]{6,}\d/g, '<number>')
    .replace(/\b\d{8,}\b/g, '<number>')
    .replace(/[A-Za-z0-9_-]{32,}/g, '<redacted>')
    .slice(0, MAX_ERROR_LENGTH);
}
