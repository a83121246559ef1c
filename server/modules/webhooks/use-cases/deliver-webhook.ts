/**
 * The outbox handler for webhooks: the current URL and secret of the subscription (so a fixed
 * URL or a rotated secret applies to pending retries), a fresh timestamp per attempt (receivers
 * reject stale ones), the same webhook-id every time.
 */
import { DeliveryError, type ClaimedMessage, type OutboxHandler } from '../../notifications/index.js';
import type { WebhookDelivery } from '../domain/payload.js';
import type { SubscriptionRepository, WebhookSender } from '../ports.js';
import type { Clock } from '../../../shared/clock.js';

export interface WebhookHandlerDeps {
  subscriptions: Pick<SubscriptionRepository, 'find' | 'secretOf'>;
  sender: WebhookSender;
  clock: Clock;
}

export function webhookHandler(deps: WebhookHandlerDeps): OutboxHandler {
  return {
    async deliver(message: ClaimedMessage) {
      const delivery = message.payload as WebhookDelivery;
      const subscription = await deps.subscriptions.find(delivery.subscriptionId);
      if (!subscription) throw new DeliveryError('the subscription no longer exists', false, 'webhook');
      if (!subscription.active) throw new DeliveryError('the subscription is disabled', false, 'webhook');
      const secret = await deps.subscriptions.secretOf(subscription.id);
      if (!secret) throw new DeliveryError('the subscription has no secret', false, 'webhook');
      const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
      return deps.sender.send({ url: subscription.url, id: delivery.webhookId, timestamp, body: delivery.body, secret });
    },
  };
}
