/** What other modules use to send a message, and what the notifications module needs. */
import type { InTransaction } from '../../shared/unit-of-work.js';
import type { DeliveryReceipt } from './domain/delivery.js';
import type { Channel, MessageIntent } from './domain/message.js';
import type { AttemptRecord, ClaimedMessage, NewOutboxMessage, OutboxEntry } from './domain/outbox.js';

/**
 * Accepts a message for delivery. Resolves once the intent is durably queued. With
 * `options.transaction` the intent is written in that transaction: it is delivered only if the
 * caller's change commits, and never lost if it does.
 * @throws AppError invalid_input for an unknown template or channel (a programming error).
 */
export interface Notifier {
  enqueue(intent: MessageIntent, options?: InTransaction): Promise<void>;
}

/** Durable queue of outgoing work, shared by notifications and webhooks. */
export interface Outbox {
  add(message: NewOutboxMessage, options?: InTransaction): Promise<string>;
  /**
   * Leases up to `limit` due messages (pending and due, or processing with an expired lease),
   * skipping rows other workers hold, and counts the attempt. A lease outlives any delivery's
   * timeouts, so a healthy worker always finishes before another may take the message over.
   */
  claim(limit: number, leaseMs: number): Promise<ClaimedMessage[]>;
  /** Records the outcome of a claimed attempt. Resolves false when the lease was lost meanwhile. */
  settle(message: ClaimedMessage, outcome: Settlement): Promise<boolean>;
  /** A provider's later report about a message it accepted; false when no message has that id. */
  recordProviderStatus(provider: string, providerMessageId: string, status: string, error?: string): Promise<boolean>;
  find(id: string): Promise<OutboxEntry | undefined>;
  attempts(id: string): Promise<AttemptRecord[]>;
  /** Newest first, at most `limit`. */
  listBySubscription(subscriptionId: string, limit: number): Promise<OutboxEntry[]>;
  /** Queues a delivered or dead message again with a fresh attempt budget; false if unknown or in flight. */
  requeue(id: string): Promise<boolean>;
  /** Messages not yet settled (pending or in flight), for the outbox depth gauge. */
  depth(): Promise<number>;
  /** Unsettled messages (as depth) and dead-lettered ones still kept, for the admin overview. */
  counts(): Promise<{ pending: number; dead: number }>;
  /** Deletes up to `limit` delivered or dead messages (and their attempts) last changed before `before`. @returns how many. */
  purgeSettled(before: Date, limit: number): Promise<number>;
}

export type Settlement =
  | { status: 'delivered'; receipt: DeliveryReceipt; durationMs: number }
  | { status: 'retry'; delayMs: number; provider: string; responseStatus?: number; error: string; durationMs: number }
  | { status: 'dead'; provider: string; responseStatus?: number; error: string; durationMs: number };

/** Delivers one kind of outbox message. Throws DeliveryError on failure. */
export interface OutboxHandler {
  deliver(message: ClaimedMessage): Promise<DeliveryReceipt>;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderedSms {
  body: string;
}

/** Renders templates from views/notifications; a locale without a template falls back to `en`. */
export interface TemplateRenderer {
  has(channel: Channel, template: string): boolean;
  renderEmail(template: string, locale: string, data: Record<string, string>): RenderedEmail;
  renderSms(template: string, locale: string, data: Record<string, string>): RenderedSms;
}

/** Sends one email. Throws DeliveryError. */
export interface EmailChannel {
  readonly provider: string;
  send(message: RenderedEmail & { to: string; messageId: string }): Promise<DeliveryReceipt>;
}

/** Sends one SMS. Throws DeliveryError. */
export interface SmsChannel {
  readonly provider: string;
  send(message: RenderedSms & { to: string; messageId: string }): Promise<DeliveryReceipt>;
}
