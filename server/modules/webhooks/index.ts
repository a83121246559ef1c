/** The webhooks module's public face: subscriptions, the audit-event dispatcher, the delivery handler. */
export type { WebhookSubscription, SubscriptionDraft } from './domain/subscription.js';
export { wants, SECRET_PREFIX } from './domain/subscription.js';
export type { WebhookBody, WebhookDelivery } from './domain/payload.js';
export type { EndpointPolicy, SubscriptionRepository, WebhookSender } from './ports.js';
export { createSubscription, updateSubscription, deleteSubscription, getSubscription, type SubscriptionDeps } from './use-cases/manage-subscriptions.js';
export { createWebhookDispatcher, type DispatchDeps, type WebhookDispatcher } from './use-cases/dispatch.js';
export { webhookHandler, type WebhookHandlerDeps } from './use-cases/deliver-webhook.js';
export { deliveryHistory, deliveryDetail, replayDelivery, HISTORY_LIMIT_MAX, type DeliveryView, type HistoryDeps } from './use-cases/delivery-history.js';
export { createWebhookAdministration, type WebhookAdministration, type WebhookAdministrationDeps } from './use-cases/administer-webhooks.js';
