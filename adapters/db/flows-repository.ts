/** Self-service flows in SQL. Transitions are conditional UPDATEs: the row changes only if it is still as it was read. */
import type { Knex } from 'knex';
import type { FlowRepository, StoredFlow } from '../../server/modules/self-service/index.js';
import { DEFAULT_PURGE_ROUNDS, purgeInBatches } from '../../server/shared/purge.js';
import { executor } from './unit-of-work.js';

interface FlowRow {
  id: string;
  kind: StoredFlow['kind'];
  user_id: string | null;
  target: string;
  state: string;
  token_digest: string | null;
  code_digest: string | null;
  attempts: number;
  created_at: Date | string;
  expires_at: Date | string;
  finished_at: Date | string | null;
}

const toFlow = (row: FlowRow): StoredFlow =>
  ({
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    target: row.target,
    state: row.state,
    tokenDigest: row.token_digest,
    codeDigest: row.code_digest,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  }) as StoredFlow;

/** knex-pglite may hand back the raw result instead of a count (see adapters/oidc/sql-store.ts). */
function affected(result: unknown): number {
  if (typeof result === 'number') return result;
  const { rowCount, affectedRows } = (result ?? {}) as { rowCount?: unknown; affectedRows?: unknown };
  return Number(rowCount ?? affectedRows ?? 0);
}

const PENDING = ['pending', 'requested'];

export function createFlowRepository(knex: Knex): FlowRepository {
  const flows = () => knex<FlowRow>('self_service_flows');
  return {
    async create(flow, options) {
      await executor(knex, options?.transaction)<FlowRow>('self_service_flows').insert({
        id: flow.id,
        kind: flow.kind,
        user_id: flow.userId,
        target: flow.target,
        state: flow.state,
        token_digest: flow.tokenDigest,
        code_digest: flow.codeDigest,
        attempts: flow.attempts,
        created_at: flow.createdAt,
        expires_at: flow.expiresAt,
        finished_at: flow.finishedAt,
      });
    },
    async findById(id) {
      const row = await flows().where({ id }).first();
      return row ? toFlow(row) : undefined;
    },
    async findByTokenDigest(digest) {
      const row = await flows().where({ token_digest: digest }).first();
      return row ? toFlow(row) : undefined;
    },
    async findPending(userId, kind) {
      const row = await flows().where({ user_id: userId, kind }).whereIn('state', PENDING).orderBy('created_at', 'desc').first();
      return row ? toFlow(row) : undefined;
    },
    async supersedePending(userId, kind, now, options) {
      await executor(knex, options?.transaction)<FlowRow>('self_service_flows').where({ user_id: userId, kind }).whereIn('state', PENDING).update({ state: 'superseded', finished_at: now });
    },
    async transition(id, from, to) {
      const result = await flows()
        .where({ id, state: from.state, attempts: from.attempts })
        .update({ state: to.state, attempts: to.attempts, finished_at: to.finishedAt });
      return affected(result) === 1;
    },
  };
}

/**
 * Deletes flows that ended or expired more than a day ago, at most `batchSize` per statement and
 * `maxBatches` per call. The day keeps recent outcomes for support questions ("my link did not
 * work"); nothing is needed from a flow after that. @returns the number of rows deleted.
 */
export async function purgeFinishedFlows(knex: Knex, batchSize: number, maxBatches = DEFAULT_PURGE_ROUNDS): Promise<number> {
  const outcome = await purgeInBatches(async (limit) => {
    const cutoff = knex.raw("now() - interval '1 day'");
    const ids = knex('self_service_flows').where('expires_at', '<', cutoff).select('id').limit(limit);
    return affected(await knex('self_service_flows').whereIn('id', ids).delete());
  }, { batchSize, maxBatches });
  return outcome.deleted;
}
