/** What the webhooks module needs: subscriptions storage, an endpoint policy and a sender. */
import type { DeliveryReceipt } from '../notifications/index.js';
import type { SubscriptionDraft, WebhookSubscription } from './domain/subscription.js';

export interface SubscriptionRepository {
  /** Stores the secret sealed. */
  create(draft: SubscriptionDraft, secret: string): Promise<WebhookSubscription>;
  update(id: string, patch: Partial<SubscriptionDraft>): Promise<WebhookSubscription | undefined>;
  delete(id: string): Promise<boolean>;
  find(id: string): Promise<WebhookSubscription | undefined>;
  list(): Promise<WebhookSubscription[]>;
  /** Active subscriptions to one event type. */
  subscribedTo(eventType: string): Promise<WebhookSubscription[]>;
  /** The plaintext signing secret, for the delivery handler only. */
  secretOf(id: string): Promise<string | undefined>;
}

/** SSRF policy for endpoint URLs. */
export interface EndpointPolicy {
  /** @returns why the URL may not receive webhooks, or undefined when it may. Resolves DNS. */
  refusal(url: string): Promise<string | undefined>;
}

/** Signs (Standard Webhooks) and posts one delivery. Throws DeliveryError. */
export interface WebhookSender {
  send(webhook: { url: string; id: string; timestamp: number; body: string; secret: string }): Promise<DeliveryReceipt>;
}
