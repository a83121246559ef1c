/**
 * Administration of webhook subscriptions for the admin API: the subscription use cases plus an
 * audit event for every change (admin.webhook.created / updated / deleted / replayed). The
 * signing secret is returned by `create` only.
 */
import { changeEvent, type Acting, type AuditTrail } from '../../compliance/index.js';
import type { Outbox } from '../../notifications/index.js';
import type { PageRequest } from '../../../shared/pagination.js';
import type { ExpectedVersions } from '../../../shared/versions.js';
import type { SubscriptionDraft } from '../domain/subscription.js';
import type { EndpointPolicy, SubscriptionRepository } from '../ports.js';
import { deliveryDetail, deliveryHistory, replayDelivery } from './delivery-history.js';
import { createSubscription, deleteSubscription, getSubscription, updateSubscription } from './manage-subscriptions.js';
import type { Random } from '../../../shared/random.js';

export interface WebhookAdministrationDeps {
  subscriptions: SubscriptionRepository;
  endpoints: EndpointPolicy;
  /** Signing secrets of new subscriptions. */
  random: Pick<Random, 'bytes'>;
  outbox: Pick<Outbox, 'listBySubscription' | 'find' | 'attempts' | 'requeue'>;
  audit: AuditTrail;
}

export function createWebhookAdministration(deps: WebhookAdministrationDeps) {
  const subject = (id: string) => ({ type: 'webhook' as const, id });
  return {
    list: (page: PageRequest) => deps.subscriptions.list(page),
    get: (id: string) => getSubscription(deps, id),
    async create(by: Acting, draft: SubscriptionDraft) {
      const created = await createSubscription(deps, draft);
      // The URL is configuration, not a secret; it helps an auditor see where events go.
      await deps.audit.record(changeEvent(by, 'admin.webhook.created', subject(created.subscription.id), { url: created.subscription.url, eventTypes: created.subscription.eventTypes.join(' ') }));
      return created;
    },
    async update(by: Acting, id: string, versions: ExpectedVersions, patch: Partial<SubscriptionDraft>) {
      const updated = await updateSubscription(deps, id, versions, patch);
      await deps.audit.record(changeEvent(by, 'admin.webhook.updated', subject(id), { fields: Object.keys(patch).sort().join(' ') }));
      return updated;
    },
    async remove(by: Acting, id: string, versions: ExpectedVersions) {
      await deleteSubscription(deps, id, versions);
      await deps.audit.record(changeEvent(by, 'admin.webhook.deleted', subject(id)));
    },
    deliveries: (id: string, limit: number) => deliveryHistory(deps, id, limit),
    delivery: (id: string, deliveryId: string) => deliveryDetail(deps, id, deliveryId),
    async replay(by: Acting, id: string, deliveryId: string) {
      await replayDelivery(deps, id, deliveryId);
      await deps.audit.record(changeEvent(by, 'admin.webhook.replayed', subject(id), { delivery: deliveryId }));
    },
  };
}

export type WebhookAdministration = ReturnType<typeof createWebhookAdministration>;
