/**
 * Outbox records as the worker sees them. Kinds are channels (email, sms), `webhook`, `task`
 * (work deferred past a request's answer) or `backchannel_logout` (logout tokens, modules/logout).
 */

export type OutboxKind = 'email' | 'sms' | 'webhook' | 'task' | 'backchannel_logout';

export type OutboxStatus = 'pending' | 'processing' | 'delivered' | 'dead';

export interface NewOutboxMessage {
  kind: OutboxKind;
  /** A non-secret label for listings: the template id, or the webhook event type. */
  topic: string;
  /** What the handler needs; stored sealed. */
  payload: unknown;
  subscriptionId?: string;
  maxAttempts: number;
}

/** A message this worker holds a lease on. `leaseToken` fences every write back. */
export interface ClaimedMessage {
  id: string;
  kind: OutboxKind;
  topic: string;
  payload: unknown;
  subscriptionId: string | undefined;
  /** This attempt's number, counting from 1. */
  attempt: number;
  maxAttempts: number;
  leaseToken: string;
}

export interface AttemptRecord {
  attempt: number;
  at: Date;
  provider: string;
  providerMessageId: string | undefined;
  status: 'delivered' | 'retry' | 'dead' | 'status';
  responseStatus: number | undefined;
  durationMs: number | undefined;
  error: string | undefined;
}

export interface OutboxEntry {
  id: string;
  kind: OutboxKind;
  topic: string;
  subscriptionId: string | undefined;
  status: OutboxStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date;
  provider: string | undefined;
  providerMessageId: string | undefined;
  deliveryStatus: string | undefined;
  lastError: string | undefined;
  createdAt: Date;
  deliveredAt: Date | undefined;
}
