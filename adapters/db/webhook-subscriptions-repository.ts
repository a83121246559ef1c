/** Webhook subscriptions in SQL; the signing secret is sealed with the key-encryption key, bound to the subscription id. */
import type { Knex } from 'knex';
import type { SubscriptionRepository, WebhookSubscription } from '../../server/modules/webhooks/index.js';
import { newId } from '../../server/shared/ids.js';
import type { SecretSealer } from '../crypto/envelope.js';

const context = (id: string) => `webhook-secret:${id}`;
const COLUMNS = ['id', 'url', 'description', 'event_types', 'active', 'created_at', 'updated_at'];

interface Row {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  active: boolean;
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
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
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
    async update(id, patch) {
      const changes: Record<string, unknown> = { updated_at: knex.fn.now() };
      if (patch.url !== undefined) changes.url = patch.url;
      if (patch.description !== undefined) changes.description = patch.description;
      if (patch.eventTypes !== undefined) changes.event_types = patch.eventTypes;
      if (patch.active !== undefined) changes.active = patch.active;
      const [row] = await knex('webhook_subscriptions').where({ id }).update(changes).returning(COLUMNS);
      return row ? toSubscription(row as Row) : undefined;
    },
    async delete(id) {
      return (await knex('webhook_subscriptions').where({ id }).delete()) === 1;
    },
    async find(id) {
      const row = await knex('webhook_subscriptions').where({ id }).first(COLUMNS);
      return row ? toSubscription(row as Row) : undefined;
    },
    async list() {
      const rows = await knex('webhook_subscriptions').orderBy('created_at').orderBy('id').select(COLUMNS);
      return (rows as Row[]).map(toSubscription);
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
