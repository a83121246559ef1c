/**
 * oidc-provider storage in one SQL table keyed by (model, id), for Postgres and PGlite alike.
 * Rules: an expired row is never returned; upsert replaces payload and expiry but never clears
 * consumed_at; consume is one conditional UPDATE, so of two concurrent consumers exactly one wins.
 */
import type { Knex } from 'knex';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { alreadyConsumed, GRANT_BOUND_MODELS } from './models.js';
import { DEFAULT_PURGE_ROUNDS, purgeInBatches, type PurgeRound } from '../../server/shared/purge.js';

const TABLE = 'oidc_payloads';

/** Revokes everything issued under a grant, in every store (see factory.ts). */
export type ReuseHandler = (grantId: string) => Promise<void>;

interface Row {
  payload: AdapterPayload;
  consumed_at: Date | string | null;
}

/**
 * Where a record that jsonb cannot hold keeps its JSON text. jsonb refuses U+0000 and lone
 * surrogates, yet a client may send them in values the provider stores as they came (`state`,
 * `nonce`, `login_hint`) and must echo back exactly. Such a record is kept losslessly as base64
 * of its JSON; its top-level values that jsonb can hold stay beside it, so the queries on
 * payload fields (clientId, the sort keys) still see them.
 */
const VERBATIM = '$verbatim';

/** JSON.stringify writes U+0000 and lone surrogates (only those) as these escapes. */
const jsonbCanHold = (json: string) => !/\\u(0000|d[89a-f][0-9a-f]{2})/i.test(json);

function storable(payload: AdapterPayload): string {
  const json = JSON.stringify(payload);
  if (jsonbCanHold(json)) return json;
  const beside = Object.fromEntries(Object.entries(payload).filter(([, value]) => jsonbCanHold(JSON.stringify(value) ?? 'null')));
  return JSON.stringify({ ...beside, [VERBATIM]: Buffer.from(json).toString('base64') });
}

/** A payload as it was upserted, from what the table holds. */
export function stored(payload: AdapterPayload): AdapterPayload {
  const verbatim = (payload as Record<string, unknown>)[VERBATIM];
  return typeof verbatim === 'string' ? (JSON.parse(Buffer.from(verbatim, 'base64').toString()) as AdapterPayload) : payload;
}

function toPayload(row: Row | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  const payload = { ...stored(row.payload) };
  if (row.consumed_at) payload.consumed = Math.floor(new Date(row.consumed_at).getTime() / 1000);
  return payload;
}

export class SqlStore implements Adapter {
  /**
   * @param onReuse called with the grant of a record a concurrent request had already consumed.
   * @param reuseWindowSeconds a loser whose record was consumed less than this long ago is refused
   *   without onReuse: the refresh grant (server/oidc/refresh-reuse.ts) answers it with the
   *   winner's successor tokens, or revokes the grant itself when there is none.
   */
  constructor(
    private readonly knex: Knex,
    private readonly model: string,
    private readonly onReuse: ReuseHandler = async () => undefined,
    private readonly reuseWindowSeconds = 0,
  ) {}

  private live() {
    return this.knex(TABLE)
      .where({ model: this.model })
      .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', this.knex.fn.now()));
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const { consumed: _ignored, ...stored } = payload;
    const row = {
      model: this.model,
      id,
      payload: storable(stored),
      grant_id: payload.grantId ?? null,
      uid: payload.uid ?? null,
      user_code: payload.userCode ?? null,
      account_id: payload.accountId ?? null,
      expires_at: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    const excluded = (column: string) => this.knex.raw('excluded.??', [column]);
    await this.knex(TABLE)
      .insert(row)
      .onConflict(['model', 'id'])
      .merge({
        payload: excluded('payload'),
        grant_id: excluded('grant_id'),
        uid: excluded('uid'),
        user_code: excluded('user_code'),
        account_id: excluded('account_id'),
        expires_at: excluded('expires_at'),
        // A row that expired (but is not purged yet) is gone: a record stored again under its id
        // starts unconsumed, as it does in Redis. A live row keeps consumed_at.
        consumed_at: this.knex.raw('CASE WHEN ??.expires_at <= now() THEN NULL ELSE ??.consumed_at END', [TABLE, TABLE]),
      });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.live().andWhere({ id }).first('payload', 'consumed_at'));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.live().andWhere({ uid }).first('payload', 'consumed_at'));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.live().andWhere({ user_code: userCode }).first('payload', 'consumed_at'));
  }

  /**
   * Exactly one consumer wins. A loser whose record was consumed concurrently is treated as a
   * reuse (the grant is revoked, as oidc-provider does for a sequential reuse); a record that is
   * gone (expired, or its grant revoked meanwhile) cannot be consumed either.
   * @throws oidc-provider's InvalidGrant (InvalidRequestUri for PAR) unless this call consumed it.
   */
  async consume(id: string): Promise<void> {
    const updated = affectedRows(
      await this.live().andWhere({ id }).whereNull('consumed_at').update({ consumed_at: this.knex.fn.now() }),
    );
    if (updated === 1) return;
    const row = (await this.live()
      .andWhere({ id })
      .first('grant_id', this.knex.raw('consumed_at > now() - make_interval(secs => ?) AS recent', [this.reuseWindowSeconds]))) as
      | { grant_id: string | null; recent: boolean | null }
      | undefined;
    if (row?.grant_id && !(this.reuseWindowSeconds > 0 && row.recent)) await this.onReuse(row.grant_id);
    throw alreadyConsumed(this.model);
  }

  async destroy(id: string): Promise<void> {
    await this.knex(TABLE).where({ model: this.model, id }).delete();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    if (!GRANT_BOUND_MODELS.has(this.model)) return;
    await this.knex(TABLE).where({ model: this.model, grant_id: grantId }).delete();
  }
}

/**
 * knex resolves UPDATE and DELETE to the affected row count on pg, but knex-pglite may hand back
 * the raw result ({ affectedRows, rowCount, ... }).
 */
function affectedRows(result: unknown): number {
  if (typeof result === 'number') return result;
  const { rowCount, affectedRows: affected } = (result ?? {}) as { rowCount?: unknown; affectedRows?: unknown };
  const n = Number(rowCount ?? affected);
  if (!Number.isFinite(n)) throw new Error('cannot read the number of deleted rows');
  return n;
}

/** Arbitrary constant naming the purge's advisory lock, so only one replica purges at a time. */
const PURGE_LOCK_KEY = 727_001;

/**
 * Deletes expired rows, at most `batchSize` per transaction and `maxBatches` per call, so a purge
 * never holds long locks. Each batch takes a transaction-scoped advisory lock: when another
 * replica is purging, this one skips. Consumed rows are kept until they expire, because reuse
 * detection needs them.
 * @returns the number of rows deleted.
 */
export async function purgeExpired(knex: Knex, batchSize: number, maxBatches = DEFAULT_PURGE_ROUNDS): Promise<number> {
  const outcome = await purgeInBatches(
    (limit) =>
      knex.transaction(async (trx): Promise<PurgeRound> => {
        const lock = await trx.raw('SELECT pg_try_advisory_xact_lock(?) AS locked', [PURGE_LOCK_KEY]);
        if (!(lock as { rows: Array<{ locked: boolean }> }).rows[0]?.locked) return 'skipped';
        const ids = await trx(TABLE).where('expires_at', '<', trx.fn.now()).limit(limit).select('model', 'id');
        if (ids.length === 0) return 0;
        return affectedRows(
          await trx(TABLE)
            .whereIn(['model', 'id'], ids.map((r: { model: string; id: string }) => [r.model, r.id]))
            .delete(),
        );
      }),
    { batchSize, maxBatches },
  );
  return outcome.deleted;
}
