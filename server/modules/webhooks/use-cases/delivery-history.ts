/** Per-endpoint delivery history and manual replay of a past delivery. */
import type { AttemptRecord, Outbox, OutboxEntry } from '../../notifications/index.js';
import { AppError } from '../../../shared/errors.js';
import type { SubscriptionRepository } from '../ports.js';

export interface HistoryDeps {
  subscriptions: Pick<SubscriptionRepository, 'find'>;
  outbox: Pick<Outbox, 'listBySubscription' | 'find' | 'attempts' | 'requeue'>;
}

/** Deliveries shown per request: enough for an operator to see a pattern, bounded for the database. */
export const HISTORY_LIMIT_MAX = 100;

export interface DeliveryView extends OutboxEntry {
  attemptLog: AttemptRecord[];
}

async function ownedDelivery(deps: HistoryDeps, subscriptionId: string, deliveryId: string): Promise<OutboxEntry> {
  const entry = await deps.outbox.find(deliveryId);
  if (!entry || entry.kind !== 'webhook' || entry.subscriptionId !== subscriptionId) throw new AppError('not_found', 'no such delivery for this subscription');
  return entry;
}

/** Newest first. @throws AppError not_found */
export async function deliveryHistory(deps: HistoryDeps, subscriptionId: string, limit = 20): Promise<OutboxEntry[]> {
  if (!(await deps.subscriptions.find(subscriptionId))) throw new AppError('not_found', 'no such webhook subscription');
  return deps.outbox.listBySubscription(subscriptionId, Math.min(Math.max(limit, 1), HISTORY_LIMIT_MAX));
}

/** One delivery with every attempt. @throws AppError not_found */
export async function deliveryDetail(deps: HistoryDeps, subscriptionId: string, deliveryId: string): Promise<DeliveryView> {
  const entry = await ownedDelivery(deps, subscriptionId, deliveryId);
  return { ...entry, attemptLog: await deps.outbox.attempts(deliveryId) };
}

/**
 * Queues a delivered or dead-lettered delivery again, same webhook-id and body, fresh attempt budget.
 * @throws AppError not_found, conflict (still being delivered)
 */
export async function replayDelivery(deps: HistoryDeps, subscriptionId: string, deliveryId: string): Promise<void> {
  await ownedDelivery(deps, subscriptionId, deliveryId);
  if (!(await deps.outbox.requeue(deliveryId))) throw new AppError('conflict', 'the delivery is still pending; it can be replayed once delivered or dead-lettered');
}
