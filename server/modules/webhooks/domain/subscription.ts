/**
 * A webhook subscription: an endpoint URL and the audit event types it wants. The signing
 * secret is not part of this record: it is shown once at creation and otherwise only ever
 * opened by the delivery handler.
 */

export interface WebhookSubscription {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  active: boolean;
  /** Incremented by every change; the admin API's ETag. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface SubscriptionDraft {
  url: string;
  description: string;
  eventTypes: string[];
  active: boolean;
}

export function wants(subscription: Pick<WebhookSubscription, 'active' | 'eventTypes'>, eventType: string): boolean {
  return subscription.active && subscription.eventTypes.includes(eventType);
}

/** Secrets follow Standard Webhooks: `whsec_` + base64 of 24 to 64 random bytes. */
export const SECRET_PREFIX = 'whsec_';
