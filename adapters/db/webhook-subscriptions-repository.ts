/** Webhook subscriptions in SQL; the signing secret is sealed with the key-encryption key, bound to the subscription id. */
import type { Knex } from 'knex';
import type { SubscriptionRepository, WebhookSubscription } from '../../server/modules/webhooks/index.js';
import { newId } from '../../server/shared/ids.js';
import { toPage } from '../../server/shared/pagination.js';
import { missOrStale, whereVersion } from './versioned.js';
import type { SecretSealer } from '../crypto/envelope.js';

const context = (id: string) => `webhook-secret:${id}`;
const COLUMNS = ['id', 'url', 'description', 'event_types', 'active', 'version', 'created_at', 'updated_at'];

interface Row {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function toSubscription(row: Row): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: [...row.event_types],
    active: row.active,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Every active subscription, for the read cache (adapters/db/cached-subscriptions.ts). */
export async function activeSubscriptions(knex: Knex): Promise<WebhookSubscription[]> {
  const rows = await knex('webhook_subscriptions').where({ active: true }).select(COLUMNS);
  return (rows as Row[]).map(toSubscription);
}

export function createSubscriptionRepository(knex: Knex, sealer: SecretSealer): SubscriptionRepository {
  return {
    async create(draft, secret) {
      const id = newId();
      const [row] = await knex('webhook_subscriptions')
        .insert({ id, url: draft.url, description: draft.description, event_types: draft.eventTypes, active: draft.active, secret_sealed: sealer.seal(secret, context(id)) })
        .returning(COLUMNS);
      return toSubscription(row as Row);
    },
    async update(id, versions, patch) {
      const changes: Record<string, unknown> = { updated_at: knex.fn.now(), version: knex.raw('version + 1') };
      if (patch.url !== undefined) changes.url = patch.url;
      if (patch.description !== undefined) changes.description = patch.description;
      if (patch.eventTypes !== undefined) changes.event_types = patch.eventTypes;
      if (patch.active !== undefined) changes.active = patch.active;
      const [row] = await whereVersion(knex('webhook_subscriptions').where({ id }), versions).update(changes).returning(COLUMNS);
      if (!row) return missOrStale(() => knex('webhook_subscriptions').where({ id }).first('id'), 'webhook subscription');
      return toSubscription(row as Row);
    },
    async delete(id, versions) {
      const deleted = await whereVersion(knex('webhook_subscriptions').where({ id }), versions).delete();
      if (deleted !== 1) await missOrStale(() => knex('webhook_subscriptions').where({ id }).first('id'), 'webhook subscription');
    },
    async find(id) {
      const row = await knex('webhook_subscriptions').where({ id }).first(COLUMNS);
      return row ? toSubscription(row as Row) : undefined;
    },
    async list(page) {
      const query = knex('webhook_subscriptions').orderBy('id').limit(page.limit + 1).select(COLUMNS);
      if (page.after !== undefined) query.where('id', '>', page.after);
      return toPage(((await query) as Row[]).map(toSubscription), page.limit, (s) => s.id);
    },
    async subscribedTo(eventType) {
      const rows = await knex('webhook_subscriptions').where({ active: true }).whereRaw('? = ANY(event_types)', [eventType]).select(COLUMNS);
      return (rows as Row[]).map(toSubscription);
    },
    async secretOf(id) {
      const row = await knex('webhook_subscriptions').where({ id }).first('secret_sealed');
      return row ? sealer.open(row.secret_sealed as string, context(id)) : undefined;
    },
  };
}
