/**
 * Runs the adapter contract against every store oidc-provider's models can live in: SqlStore on
 * PGlite (always), on Postgres (DATABASE_URL) and RedisStore (REDIS_URL); then the behaviour
 * specific to each store (SQL purge, Redis index keys).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { purgeExpired, SqlStore } from '../../adapters/oidc/sql-store.js';
import { RedisStore } from '../../adapters/oidc/redis-store.js';
import { toCount } from '../../adapters/db/knex.js';
import { createTestDatabase, createTestRedis, describeWith, type TestDatabase, type TestRedis } from '../helpers/stores.js';
import { newId, runAdapterContract, samplePayload } from './oidc-adapter.contract.js';

runAdapterContract('SqlStore on PGlite', async (onReuse) => {
  const db = await createTestDatabase('pglite');
  return { adapterFor: (model) => new SqlStore(db.database.knex, model, onReuse), close: () => db.drop() };
});

describeWith('postgres')('SqlStore on Postgres', () => {
  runAdapterContract('SqlStore on Postgres', async (onReuse) => {
    const db = await createTestDatabase('postgres');
    return { adapterFor: (model) => new SqlStore(db.database.knex, model, onReuse), close: () => db.drop() };
  });
});

describeWith('redis')('RedisStore', () => {
  runAdapterContract('RedisStore', async (onReuse) => {
    const r = await createTestRedis();
    return { adapterFor: (model) => new RedisStore(r.redis, model, r.prefix, onReuse), close: () => r.close() };
  });
});

// ---------------------------------------------------------------------------------------------
// SQL-specific: purgeExpired

/** The advisory lock key purgeExpired takes (private to sql-store.ts; keep in step with it). */
const PURGE_LOCK_KEY = 727_001;

function purgeSuite(kind: 'pglite' | 'postgres') {
  return () => {
    let db: TestDatabase;
    let knex: Knex;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      knex = db.database.knex;
    });
    afterAll(async () => {
      await db?.drop();
    });

    const past = (seconds: number) => knex.raw(`now() - interval '${seconds} seconds'`);
    const future = (seconds: number) => knex.raw(`now() + interval '${seconds} seconds'`);

    async function seed() {
      await knex('oidc_payloads').delete();
      const rows: Array<Record<string, unknown>> = [];
      const models = ['AccessToken', 'AuthorizationCode', 'Session', 'Interaction', 'DeviceCode'];
      for (let i = 0; i < 25; i += 1) {
        const model = models[i % models.length]!;
        rows.push({
          model,
          id: `expired-${i}`,
          payload: JSON.stringify(samplePayload(model, `expired-${i}`)),
          uid: model === 'Session' ? `uid-expired-${i}` : null,
          expires_at: past(5 + i),
          consumed_at: i % 3 === 0 ? past(60) : null,
        });
      }
      for (let i = 0; i < 4; i += 1) {
        rows.push({ model: 'AccessToken', id: `live-${i}`, payload: '{}', expires_at: future(3600) });
      }
      for (let i = 0; i < 3; i += 1) {
        rows.push({ model: 'Grant', id: `forever-${i}`, payload: '{}', expires_at: null });
      }
      for (let i = 0; i < 5; i += 1) {
        rows.push({ model: 'AuthorizationCode', id: `consumed-live-${i}`, payload: '{}', expires_at: future(600), consumed_at: past(10) });
      }
      rows.push({ model: 'RefreshToken', id: 'consumed-forever', payload: '{}', expires_at: null, consumed_at: past(10) });
      await knex('oidc_payloads').insert(rows);
    }

    const expiredCount = async () =>
      toCount((await knex('oidc_payloads').where('expires_at', '<', knex.fn.now()).count({ n: '*' }))[0]?.n);
    const remainingIds = async () => (await knex('oidc_payloads').select('id').orderBy('id')).map((r: { id: string }) => r.id).sort();
    const keptIds = [
      ...Array.from({ length: 5 }, (_, i) => `consumed-live-${i}`),
      'consumed-forever',
      ...Array.from({ length: 3 }, (_, i) => `forever-${i}`),
      ...Array.from({ length: 4 }, (_, i) => `live-${i}`),
    ].sort();

    it('deletes every expired row (consumed or not) and keeps live, non-expiring and consumed-but-live rows', async () => {
      await seed();
      expect(await expiredCount()).toBe(25);
      expect(await purgeExpired(knex, 10)).toBe(25);
      expect(await expiredCount()).toBe(0);
      expect(await remainingIds()).toStrictEqual(keptIds);
      // nothing left to do
      expect(await purgeExpired(knex, 10)).toBe(0);
    });

    it('works in batches of batchSize, at most maxBatches per call', async () => {
      await seed();
      expect(await purgeExpired(knex, 10, 1)).toBe(10);
      expect(await expiredCount()).toBe(15);
      expect(await purgeExpired(knex, 4, 2)).toBe(8);
      expect(await expiredCount()).toBe(7);
      expect(await purgeExpired(knex, 10)).toBe(7);
      expect(await remainingIds()).toStrictEqual(keptIds);
    });

    it('a purged expired row never was visible through the store, and a live one stays visible', async () => {
      await seed();
      const store = new SqlStore(knex, 'AccessToken');
      expect(await store.find('expired-0')).toBeUndefined();
      expect(await store.find('live-0')).toStrictEqual({});
      await purgeExpired(knex, 10);
      expect(await store.find('live-0')).toStrictEqual({});
    });

    if (kind === 'postgres') {
      it('skips (deletes nothing) while another connection holds the purge lock', async () => {
        await seed();
        const trx = await knex.transaction();
        try {
          await trx.raw('SELECT pg_advisory_xact_lock(?)', [PURGE_LOCK_KEY]);
          expect(await purgeExpired(knex, 10)).toBe(0);
          expect(await expiredCount()).toBe(25);
        } finally {
          await trx.rollback();
        }
        expect(await purgeExpired(knex, 10)).toBe(25);
      });
    }
  };
}

describe('purgeExpired on PGlite', purgeSuite('pglite'));
describeWith('postgres')('purgeExpired on Postgres', purgeSuite('postgres'));

// ---------------------------------------------------------------------------------------------
// Redis-specific: index and lookup keys

describeWith('redis')('RedisStore keys', () => {
  let r: TestRedis;
  const store = (model: string) => new RedisStore(r.redis, model, r.prefix);
  const grantKey = (grantId: string) => `${r.prefix}grant:${grantId}`;
  const recordKey = (model: string, id: string) => `${r.prefix}${model}:${id}`;

  beforeAll(async () => {
    r = await createTestRedis();
  });
  afterAll(async () => {
    await r?.close();
  });

  it('revokeByGrantId deletes the grant index key', async () => {
    const grant = newId('grant');
    for (const model of ['AccessToken', 'RefreshToken', 'AuthorizationCode']) {
      const id = newId();
      await store(model).upsert(id, samplePayload(model, id, { grantId: grant }), 3600);
    }
    expect(await r.redis.exists(grantKey(grant))).toBe(1);
    await store('AccessToken').revokeByGrantId(grant);
    expect(await r.redis.exists(grantKey(grant))).toBe(0);
  });

  it('the grant index expires with its longest-lived member, never later', async () => {
    const grant = newId('grant');
    const [short, long, forever] = [newId(), newId(), newId()];
    await store('AccessToken').upsert(short, samplePayload('AccessToken', short, { grantId: grant }), 100);
    await store('RefreshToken').upsert(long, samplePayload('RefreshToken', long, { grantId: grant }), 300);
    let index = await r.redis.pttl(grantKey(grant));
    let longest = await r.redis.pttl(recordKey('RefreshToken', long));
    expect(longest).toBeGreaterThan(290_000);
    expect(index).toBeLessThanOrEqual(longest + 5);
    expect(index).toBeGreaterThanOrEqual(longest - 1_000);

    // a member without expiry makes the index permanent ...
    await store('AuthorizationCode').upsert(forever, samplePayload('AuthorizationCode', forever, { grantId: grant }));
    expect(await r.redis.pttl(grantKey(grant))).toBe(-1);
    // ... until that member gets an expiry or goes away
    await store('AuthorizationCode').upsert(forever, samplePayload('AuthorizationCode', forever, { grantId: grant }), 200);
    index = await r.redis.pttl(grantKey(grant));
    expect(index).toBeLessThanOrEqual(longest + 5);
    expect(index).toBeGreaterThan(200_000);

    // destroying the longest-lived member shortens the index to the next longest
    await store('RefreshToken').destroy(long);
    index = await r.redis.pttl(grantKey(grant));
    longest = await r.redis.pttl(recordKey('AuthorizationCode', forever));
    expect(longest).toBeGreaterThan(190_000);
    expect(index).toBeLessThanOrEqual(longest + 5);
    expect(index).toBeGreaterThanOrEqual(longest - 1_000);

    // shortening the longest member's expiry shortens the index too
    await store('AuthorizationCode').upsert(forever, samplePayload('AuthorizationCode', forever, { grantId: grant }), 50);
    index = await r.redis.pttl(grantKey(grant));
    longest = await r.redis.pttl(recordKey('AccessToken', short));
    expect(index).toBeLessThanOrEqual(longest + 5);
    expect(index).toBeGreaterThanOrEqual(longest - 1_000);
  });

  it('destroying the last member of a grant leaves no index key behind', async () => {
    const grant = newId('grant');
    const id = newId();
    await store('AccessToken').upsert(id, samplePayload('AccessToken', id, { grantId: grant }), 3600);
    await store('AccessToken').destroy(id);
    expect(await r.redis.exists(grantKey(grant))).toBe(0);
  });

  it('a non-positive expiresIn leaves no permanent key behind', async () => {
    const id = newId();
    const grant = newId('grant');
    const payload = samplePayload('DeviceCode', id, { grantId: grant });
    await store('DeviceCode').upsert(id, payload, 0);
    await sleep(10);
    const keys = [recordKey('DeviceCode', id), `${r.prefix}DeviceCode:userCode:${payload.userCode}`, grantKey(grant)];
    for (const key of keys) expect(await r.redis.exists(key)).toBe(0);
  });

  it('a uid lookup survives destroying a different record that once held that uid (compare-and-delete)', async () => {
    const sessions = store('Session');
    const [a, b] = [newId(), newId()];
    const first = samplePayload('Session', a);
    await sessions.upsert(a, first, 3600);
    // b takes over the uid while a still exists (e.g. a stale copy of the session)
    const second = { ...samplePayload('Session', b), uid: first.uid };
    await sessions.upsert(b, second, 3600);
    expect(await sessions.findByUid(first.uid!)).toStrictEqual(second);

    await sessions.destroy(a);
    expect(await sessions.findByUid(first.uid!)).toStrictEqual(second);

    // nor by a re-upsert, under another uid, of a record that once held it
    const [c, d] = [newId(), newId()];
    const third = samplePayload('Session', c);
    await sessions.upsert(c, third, 3600);
    const fourth = { ...samplePayload('Session', d), uid: third.uid };
    await sessions.upsert(d, fourth, 3600);
    const thirdMoved = { ...third, uid: newId('uid') };
    await sessions.upsert(c, thirdMoved, 3600);
    expect(await sessions.findByUid(third.uid!)).toStrictEqual(fourth);
    expect(await sessions.findByUid(thirdMoved.uid!)).toStrictEqual(thirdMoved);
  });

  it('a user code lookup survives destroying or revoking a different record that once held it', async () => {
    const codes = store('DeviceCode');
    const [a, b] = [newId(), newId()];
    const [ga, gb] = [newId('grant'), newId('grant')];
    const first = samplePayload('DeviceCode', a, { grantId: ga });
    await codes.upsert(a, first, 600);
    const second = { ...samplePayload('DeviceCode', b, { grantId: gb }), userCode: first.userCode };
    await codes.upsert(b, second, 600);

    await codes.revokeByGrantId(ga);
    expect(await codes.find(a)).toBeUndefined();
    expect(await codes.findByUserCode(first.userCode!)).toStrictEqual(second);

    await codes.upsert(a, first, 600);
    await codes.upsert(b, second, 600);
    await codes.destroy(a);
    expect(await codes.findByUserCode(first.userCode!)).toStrictEqual(second);
  });

  it('destroy, revokeByGrantId and consume leave no orphaned keys behind', async () => {
    const [a, b, missing] = [newId(), newId(), newId('missing')];
    const grant = newId('grant');
    const pa = samplePayload('DeviceCode', a, { grantId: grant });
    const pb = samplePayload('DeviceCode', b, { grantId: grant });
    const session = newId();
    const ps = samplePayload('Session', session);
    await store('DeviceCode').upsert(a, pa, 600);
    await store('DeviceCode').upsert(b, pb, 600);
    await store('Session').upsert(session, ps, 600);
    await store('DeviceCode').consume(b);
    await store('DeviceCode').destroy(a);
    await store('Session').destroy(session);
    await store('DeviceCode').revokeByGrantId(grant);
    await expect(store('DeviceCode').consume(missing)).rejects.toBeInstanceOf(Error);
    await expect(store('DeviceCode').consume(a)).rejects.toBeInstanceOf(Error);
    const [, keys] = await r.redis.scan('0', 'MATCH', `${r.prefix}*`, 'COUNT', 10_000);
    const ours = [a, b, missing, grant, session, pa.userCode!, pb.userCode!, ps.uid!];
    expect(keys.filter((k) => ours.some((part) => k.includes(part)))).toStrictEqual([]);
  });

  it('lookup keys expire with their record', async () => {
    const id = newId();
    const payload = samplePayload('Session', id);
    await store('Session').upsert(id, payload, 120);
    const uidTtl = await r.redis.pttl(`${r.prefix}Session:uid:${payload.uid}`);
    const recordTtl = await r.redis.pttl(recordKey('Session', id));
    expect(uidTtl).toBeGreaterThan(0);
    expect(Math.abs(uidTtl - recordTtl)).toBeLessThan(1_000);
  });
});
