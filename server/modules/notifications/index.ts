/** The notifications module's public face. */
export type { Channel, MessageIntent } from './domain/message.js';
export type { Notifier, Outbox, OutboxHandler, Settlement, TemplateRenderer, EmailChannel, SmsChannel, RenderedEmail, RenderedSms } from './ports.js';
export { DeliveryError, sanitizeError, type DeliveryReceipt } from './domain/delivery.js';
export { retryDelayMs, afterFailure, type RetryPolicy } from './domain/backoff.js';
export type { AttemptRecord, ClaimedMessage, NewOutboxMessage, OutboxEntry, OutboxKind, OutboxStatus } from './domain/outbox.js';
export { createOutboxNotifier, type OutboxNotifierDeps } from './use-cases/enqueue-message.js';
export { messageHandler, type MessageHandlerDeps } from './use-cases/deliver-message.js';
export { createOutboxWorker, type OutboxWorker, type OutboxWorkerDeps, type OutboxWorkerOptions, type WorkerLog } from './use-cases/outbox-worker.js';
export { recordDeliveryStatus, type ProviderStatus } from './use-cases/record-delivery-status.js';
export { previewRequest, previewTemplate, type PreviewRequest } from './use-cases/preview-template.js';
