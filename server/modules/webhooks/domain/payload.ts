/**
 * The body a subscriber receives, in the Standard Webhooks shape: `type`, `timestamp` (when the
 * event happened, ISO 8601) and `data` (the audit event: identifiers and outcomes, never a secret).
 */

export interface WebhookBody<T> {
  type: string;
  timestamp: string;
  data: T;
}

/** What the outbox stores for one delivery; the id is the webhook-id, the same on every retry and replay. */
export interface WebhookDelivery {
  webhookId: string;
  subscriptionId: string;
  body: string;
}

export function webhookBody<T extends { type: string }>(event: T, occurredAt: Date): string {
  const body: WebhookBody<T> = { type: event.type, timestamp: occurredAt.toISOString(), data: event };
  return JSON.stringify(body);
}
