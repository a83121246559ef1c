/**
 * The outbox in SQL. Claims take due rows with FOR UPDATE SKIP LOCKED, so concurrent workers
 * never hold the same row, and stamp a fresh lease token; every later write is fenced by that
 * token, so a worker whose lease ran out cannot overwrite the outcome of the one that took over.
 * A claimed row's next_attempt_at is its lease expiry: one index serves "due" and "abandoned".
 */
import type { Knex } from 'knex';
import type { AttemptRecord, ClaimedMessage, Outbox, OutboxEntry } from '../../server/modules/notifications/index.js';
import { newId } from '../../server/shared/ids.js';
import type { SecretSealer } from '../crypto/envelope.js';
import { executor } from './unit-of-work.js';

const context = (id: string) => `outbox:${id}`;

interface MessageRow {
  id: string;
  kind: OutboxEntry['kind'];
  topic: string;
  subscription_id: string | null;
  status: OutboxEntry['status'];
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  provider: string | null;
  provider_message_id: string | null;
  delivery_status: string | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

const ENTRY_COLUMNS = ['id', 'kind', 'topic', 'subscription_id', 'status', 'attempts', 'max_attempts', 'next_attempt_at', 'provider', 'provider_message_id', 'delivery_status', 'last_error', 'created_at', 'delivered_at'];

function toEntry(row: MessageRow): OutboxEntry {
  return {
    id: row.id,
    kind: row.kind,
    topic: row.topic,
    subscriptionId: row.subscription_id ?? undefined,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    provider: row.provider ?? undefined,
    providerMessageId: row.provider_message_id ?? undefined,
    deliveryStatus: row.delivery_status ?? undefined,
    lastError: row.last_error ?? undefined,
    createdAt: new Date(row.created_at),
    deliveredAt: row.delivered_at ? new Date(row.delivered_at) : undefined,
  };
}

export function createOutboxRepository(knex: Knex, sealer: SecretSealer): Outbox {
  return {
    async add(message, options) {
      const id = newId();
      await executor(knex, options?.transaction)('outbox_messages').insert({
        id,
        kind: message.kind,
        topic: message.topic,
        subscription_id: message.subscriptionId ?? null,
        payload_sealed: sealer.seal(JSON.stringify(message.payload), context(id)),
        max_attempts: message.maxAttempts,
      });
      return id;
    },

    async depth() {
      const [row] = await knex('outbox_messages').whereIn('status', ['pending', 'processing']).count<{ count: string | number }[]>({ count: '*' });
      return Number(row?.count ?? 0);
    },

    async counts() {
      const [row] = await knex('outbox_messages').select(
        knex.raw(`count(*) FILTER (WHERE status IN ('pending', 'processing')) AS pending`),
        knex.raw(`count(*) FILTER (WHERE status = 'dead') AS dead`),
      );
      const counts = row as { pending: string | number; dead: string | number } | undefined;
      return { pending: Number(counts?.pending ?? 0), dead: Number(counts?.dead ?? 0) };
    },

    async claim(limit, leaseMs) {
      const result = await knex.raw(
        `WITH due AS (
           SELECT id FROM outbox_messages
           WHERE status IN ('pending', 'processing') AND next_attempt_at <= now()
           ORDER BY next_attempt_at
           LIMIT ?
           FOR UPDATE SKIP LOCKED
         )
         UPDATE outbox_messages m
         SET status = 'processing', attempts = m.attempts + 1, lease_token = gen_random_uuid()::text,
             next_attempt_at = now() + make_interval(secs => ?), updated_at = now()
         FROM due WHERE m.id = due.id
         RETURNING m.id, m.kind, m.topic, m.subscription_id, m.payload_sealed, m.attempts, m.max_attempts, m.lease_token`,
        [limit, leaseMs / 1000],
      );
      const rows = result.rows as Array<{ id: string; kind: ClaimedMessage['kind']; topic: string; subscription_id: string | null; payload_sealed: string; attempts: number; max_attempts: number; lease_token: string }>;
      return rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        topic: row.topic,
        subscriptionId: row.subscription_id ?? undefined,
        payload: JSON.parse(sealer.open(row.payload_sealed, context(row.id))) as unknown,
        attempt: row.attempts,
        maxAttempts: row.max_attempts,
        leaseToken: row.lease_token,
      }));
    },

    async settle(message, outcome) {
      return knex.transaction(async (trx) => {
        const fenced = trx('outbox_messages').where({ id: message.id, lease_token: message.leaseToken, status: 'processing' });
        const common = { lease_token: null, updated_at: trx.fn.now() };
        let changed: number;
        if (outcome.status === 'delivered') {
          changed = await fenced.update({
            ...common,
            status: 'delivered',
            delivered_at: trx.fn.now(),
            provider: outcome.receipt.provider,
            provider_message_id: outcome.receipt.providerMessageId ?? null,
            last_error: null,
          });
        } else if (outcome.status === 'retry') {
          changed = await fenced.update({ ...common, status: 'pending', provider: outcome.provider, last_error: outcome.error, next_attempt_at: trx.raw('now() + make_interval(secs => ?)', [outcome.delayMs / 1000]) });
        } else {
          changed = await fenced.update({ ...common, status: 'dead', provider: outcome.provider, last_error: outcome.error });
        }
        if (changed !== 1) return false;
        const receipt = outcome.status === 'delivered' ? outcome.receipt : undefined;
        await trx('outbox_attempts').insert({
          message_id: message.id,
          attempt: message.attempt,
          provider: receipt ? receipt.provider : (outcome as { provider: string }).provider,
          provider_message_id: receipt?.providerMessageId ?? null,
          status: outcome.status,
          response_status: receipt ? (receipt.responseStatus ?? null) : ((outcome as { responseStatus?: number }).responseStatus ?? null),
          duration_ms: Math.round(outcome.durationMs),
          error: outcome.status === 'delivered' ? null : outcome.error,
        });
        return true;
      });
    },

    async recordProviderStatus(provider, providerMessageId, status, error) {
      return knex.transaction(async (trx) => {
        const [row] = await trx('outbox_messages')
          .where({ provider, provider_message_id: providerMessageId })
          .update({ delivery_status: status, updated_at: trx.fn.now() })
          .returning(['id', 'attempts']);
        if (!row) return false;
        await trx('outbox_attempts').insert({ message_id: row.id, attempt: row.attempts, provider, provider_message_id: providerMessageId, status: 'status', error: error ? `${status}: ${error}` : status });
        return true;
      });
    },

    async find(id) {
      const row = await knex('outbox_messages').where({ id }).first(ENTRY_COLUMNS);
      return row ? toEntry(row as MessageRow) : undefined;
    },

    async attempts(id) {
      const rows = await knex('outbox_attempts').where({ message_id: id }).orderBy('id').select('attempt', 'at', 'provider', 'provider_message_id', 'status', 'response_status', 'duration_ms', 'error');
      return rows.map(
        (r): AttemptRecord => ({
          attempt: r.attempt,
          at: new Date(r.at),
          provider: r.provider,
          providerMessageId: r.provider_message_id ?? undefined,
          status: r.status,
          responseStatus: r.response_status ?? undefined,
          durationMs: r.duration_ms ?? undefined,
          error: r.error ?? undefined,
        }),
      );
    },

    async listBySubscription(subscriptionId, limit) {
      const rows = await knex('outbox_messages').where({ subscription_id: subscriptionId }).orderBy('created_at', 'desc').orderBy('id').limit(limit).select(ENTRY_COLUMNS);
      return (rows as MessageRow[]).map(toEntry);
    },

    async purgeSettled(before, limit) {
      // SKIP LOCKED: replicas purging at once split the work instead of waiting on each other.
      const result = await knex.raw(
        `DELETE FROM outbox_messages WHERE id IN (
           SELECT id FROM outbox_messages WHERE status IN ('delivered', 'dead') AND updated_at < ? LIMIT ? FOR UPDATE SKIP LOCKED
         )`,
        [before, limit],
      );
      return (result as { rowCount?: number }).rowCount ?? 0;
    },

    async requeue(id) {
      const changed = await knex('outbox_messages')
        .where({ id })
        .whereIn('status', ['delivered', 'dead'])
        .update({ status: 'pending', attempts: 0, next_attempt_at: knex.fn.now(), last_error: null, delivered_at: null, updated_at: knex.fn.now() });
      return changed === 1;
    },
  };
}
