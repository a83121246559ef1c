/**
 * Turns an audit event into one outbox delivery per active subscription to its type. Called by
 * the audit trail after it records an event (the container composes the two); with a
 * transaction, the deliveries commit with the caller's change.
 */
import type { AuditEvent } from '../../compliance/index.js';
import type { Outbox } from '../../notifications/index.js';
import type { InTransaction } from '../../../shared/unit-of-work.js';
import type { Clock } from '../../../shared/clock.js';
import type { Random } from '../../../shared/random.js';
import { webhookBody, type WebhookDelivery } from '../domain/payload.js';
import type { SubscriptionRepository } from '../ports.js';

export interface DispatchDeps {
  subscriptions: Pick<SubscriptionRepository, 'subscribedTo'>;
  outbox: Pick<Outbox, 'add'>;
  maxAttempts: number;
  clock: Clock;
  random: Pick<Random, 'uuid'>;
}

export interface WebhookDispatcher {
  /** @returns how many deliveries were queued. */
  dispatch(event: AuditEvent, options?: InTransaction): Promise<number>;
}

export function createWebhookDispatcher(deps: DispatchDeps): WebhookDispatcher {
  return {
    async dispatch(event, options) {
      const subscriptions = await deps.subscriptions.subscribedTo(event.type);
      if (subscriptions.length === 0) return 0;
      const body = webhookBody(event, deps.clock.now());
      for (const subscription of subscriptions) {
        // One webhook-id per (event, endpoint): receivers de-duplicate retries and replays by it.
        const delivery: WebhookDelivery = { webhookId: `msg_${deps.random.uuid().replaceAll('-', '')}`, subscriptionId: subscription.id, body };
        await deps.outbox.add({ kind: 'webhook', topic: event.type, subscriptionId: subscription.id, payload: delivery, maxAttempts: deps.maxAttempts }, options);
      }
      return subscriptions.length;
    },
  };
}
