/** What the webhooks module needs: subscriptions storage, an endpoint policy and a sender. */
import type { DeliveryReceipt } from '../notifications/index.js';
import type { Page, PageRequest } from '../../shared/pagination.js';
import type { ExpectedVersions } from '../../shared/versions.js';
import type { SubscriptionDraft, WebhookSubscription } from './domain/subscription.js';

export interface SubscriptionRepository {
  /** Stores the secret sealed. */
  create(draft: SubscriptionDraft, secret: string): Promise<WebhookSubscription>;
  /** Compare-and-set on the version. @throws AppError not_found, precondition_failed */
  update(id: string, versions: ExpectedVersions, patch: Partial<SubscriptionDraft>): Promise<WebhookSubscription>;
  /** @throws AppError not_found, precondition_failed */
  delete(id: string, versions: ExpectedVersions): Promise<void>;
  find(id: string): Promise<WebhookSubscription | undefined>;
  /** In order of id. */
  list(page: PageRequest): Promise<Page<WebhookSubscription>>;
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
