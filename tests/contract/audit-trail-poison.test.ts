/**
 * The audit trail never stalls on one record (issue 11, defect 1), against PGlite (always) and
 * Postgres (DATABASE_URL): values that once cut a surrogate pair or carried a lone surrogate or
 * NUL are stored well-formed; a record the database still refuses is set aside in
 * audit_quarantine while the records after it enter the chain; a trail whose store takes
 * nothing is reported stalled, and heals when the store does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createAuditStore } from '../../adapters/db/audit-store.js';
import { createCheckpointSigner } from '../../adapters/crypto/checkpoint-signer.js';
import { createBufferedAuditTrail, verifyAuditChain, type AuditEvent, type AuditStore } from '../../server/modules/compliance/index.js';
import { isWellFormed } from '../../server/shared/unicode.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../helpers/stores.js';

const signer = createCheckpointSigner(randomBytes(32).toString('base64url'));
const EMOJI_300 = '😀'.repeat(300);

const event = (i: number, details: AuditEvent['details'] = {}): AuditEvent => ({
  type: 'oidc.protocol.error',
  outcome: 'failure',
  actor: { type: 'anonymous' },
  clientId: 'web-app',
  requestId: `req-${i}`,
  details: { n: i, ...details },
});

function counting() {
  const counts = { quarantined: 0, flushFailed: 0, dropped: 0 };
  const errors: string[] = [];
  return {
    counts,
    errors,
    observer: { dropped: (n: number) => void (counts.dropped += n), flushFailed: () => void (counts.flushFailed += 1), quarantined: () => void (counts.quarantined += 1) },
    log: { error: (_fields: Record<string, unknown>, message: string) => void errors.push(message), warn: () => undefined },
  };
}

/** The store, with the record marked `poison` turned into one the database refuses (a NUL inside jsonb). */
function poisoning(store: AuditStore): AuditStore {
  return {
    ...store,
    append: (link) => store.append((head) => link(head).map((record) => (record.details?.poison ? { ...record, details: { ...record.details, poison: 'a\u0000b' } } : record))),
  };
}

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUrl)(`audit trail with hostile values on ${kind}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(kind);
    });
    afterEach(async () => {
      await db.drop();
    });

    it('stores 300 emoji, a lone surrogate and NUL as well-formed text, and the chain verifies', async () => {
      const seen = counting();
      const store = createAuditStore(db.database.knex);
      const trail = createBufferedAuditTrail({ store, clock: { now: () => new Date() }, log: seen.log, observer: seen.observer }, { batchSize: 10, maxQueue: 1000, flushIntervalMs: 60_000, stallAfterMs: 60_000 });
      await trail.record({ ...event(1, { error_description: `grant_types ${EMOJI_300}` }), userAgent: EMOJI_300 });
      await trail.record({ ...event(2, { error_description: '\ud800', alone: 'x\udc00y' }), actor: { type: 'user', id: 'a\u0000\ud800' } });
      await trail.record(event(3));
      await trail.flush();
      expect(trail.depth()).toBe(0);
      expect(seen.counts).toEqual({ quarantined: 0, flushFailed: 0, dropped: 0 });
      const rows = await db.database.knex('audit_records').orderBy('seq');
      expect(rows).toHaveLength(3);
      for (const row of rows) for (const value of [row.user_agent, row.actor_id, ...Object.values(row.details ?? {})]) if (typeof value === 'string') expect(isWellFormed(value)).toBe(true);
      expect(rows[0].user_agent.endsWith('😀…')).toBe(true);
      expect(rows[1].actor_id).toBe('a\ufffd');
      expect(await verifyAuditChain({ store, signer }, 7)).toMatchObject({ ok: true, count: 3 });
    });

    it('sets a refused record aside, keeps the records after it in the chain, and logs it once', async () => {
      const seen = counting();
      const store = createAuditStore(db.database.knex);
      const appended: number[] = [];
      const trail = createBufferedAuditTrail(
        { store: poisoning(store), clock: { now: () => new Date() }, log: seen.log, observer: seen.observer, onAppended: async (records) => void appended.push(...records.map((r) => Number(r.details?.n))) },
        { batchSize: 8, maxQueue: 1000, flushIntervalMs: 60_000, stallAfterMs: 60_000 },
      );
      for (let i = 0; i < 10; i += 1) await trail.record(event(i, i === 3 ? { poison: 'yes' } : {}));
      await trail.flush();
      expect(trail.depth()).toBe(0);
      expect(trail.stalled()).toBe(false);
      expect(seen.counts).toEqual({ quarantined: 1, flushFailed: 0, dropped: 0 });
      expect(seen.errors.filter((m) => m.includes('set aside'))).toHaveLength(1);
      // Webhooks see exactly what the chain holds, in order, and never the refused record.
      expect(appended).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
      const details = (await db.database.knex('audit_records').orderBy('seq').select('details')).map((row) => row.details.n);
      expect(details).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
      const quarantined = await db.database.knex('audit_quarantine').select('type', 'reason', 'record');
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0].type).toBe('oidc.protocol.error');
      expect(JSON.parse(quarantined[0].record)).toMatchObject({ requestId: 'req-3', details: { poison: 'yes' } });
      expect(await verifyAuditChain({ store, signer }, 7)).toMatchObject({ ok: true, count: 9 });
      // Later events still flow.
      await trail.record(event(42));
      await trail.close();
      expect(await verifyAuditChain({ store, signer }, 7)).toMatchObject({ ok: true, count: 10 });
    });
  });
}

describe('a stalled audit trail', () => {
  it('is stalled while the store takes nothing, keeps its queue in order, and heals', async () => {
    const seen = counting();
    let down = true;
    const stored: number[] = [];
    const store = {
      append: async (link: Parameters<AuditStore['append']>[0]) => {
        if (down) throw new Error('connection refused');
        const records = link({ seq: stored.length, hash: '0'.repeat(64) });
        stored.push(...records.map((r) => Number(r.details?.n)));
        return records;
      },
      quarantine: async () => {
        if (down) throw new Error('connection refused');
      },
    } satisfies Pick<AuditStore, 'append' | 'quarantine'>;
    const trail = createBufferedAuditTrail({ store: { ...createAuditStoreStub(), ...store }, clock: { now: () => new Date() }, log: seen.log, observer: seen.observer }, { batchSize: 4, maxQueue: 100, flushIntervalMs: 60_000, stallAfterMs: 60_000 });
    expect(trail.stalled()).toBe(false);
    for (let i = 0; i < 6; i += 1) await trail.record(event(i));
    await trail.flush();
    expect(trail.stalled()).toBe(true);
    expect(trail.depth()).toBe(6);
    expect(seen.counts.quarantined).toBe(0);
    expect(seen.counts.flushFailed).toBe(1);
    down = false;
    await trail.flush();
    expect(trail.stalled()).toBe(false);
    expect(stored).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('is stalled when its oldest event waited longer than stallAfterMs', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    const seen = counting();
    const trail = createBufferedAuditTrail(
      { store: createAuditStoreStub(), clock: { now: () => new Date(now) }, log: seen.log, observer: seen.observer },
      { batchSize: 100, maxQueue: 100, flushIntervalMs: 60_000, stallAfterMs: 30_000 },
    );
    await trail.record(event(1));
    now += 29_000;
    expect(trail.stalled()).toBe(false);
    now += 2_000;
    expect(trail.stalled()).toBe(true);
  });
});

/** A store that never answers an append (the flush is never started in these tests). */
function createAuditStoreStub(): AuditStore {
  const never = () => new Promise<never>(() => undefined);
  return { append: never, quarantine: never, head: never, readFrom: never, search: never, exportFrom: never, latestCheckpoint: never, dropWithCheckpoint: never };
}
