/**
 * The hash-chained audit trail against PGlite (always) and Postgres (DATABASE_URL): one linear
 * chain from concurrent writers (on Postgres: separate connection pools, as separate provider
 * processes have), the append-only triggers, tampering and deletion found by verify with the
 * record's sequence, retention behind a signed checkpoint, search and export.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../adapters/db/audit-store.js';
import { openDatabase, type Database } from '../../adapters/db/knex.js';
import { createCheckpointSigner } from '../../adapters/crypto/checkpoint-signer.js';
import {
  applyAuditRetention,
  createBufferedAuditTrail,
  exportAuditLines,
  searchAudit,
  verifyAuditChain,
  type AuditEvent,
  type BufferedAuditTrail,
} from '../../server/modules/compliance/index.js';
import type { Clock } from '../../server/shared/clock.js';
import { createTestDatabase, describeWith, storesFor, type TestDatabase } from '../helpers/stores.js';

const kek = randomBytes(32).toString('base64url');
const signer = createCheckpointSigner(kek);
const quietLog = { error: () => undefined, warn: () => undefined };
const observer = { dropped: () => undefined, flushFailed: () => undefined };
const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

function trailOn(database: Database, clock: Clock = { now: () => new Date() }, batchSize = 50): BufferedAuditTrail {
  return createBufferedAuditTrail({ store: createAuditStore(database.knex), clock, log: quietLog, observer }, { batchSize, maxQueue: 10_000, flushIntervalMs: 60_000 });
}

const event = (i: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  type: 'oidc.grant.success',
  outcome: 'success',
  actor: { type: 'user', id: `user-${i % 3}` },
  subject: { type: 'user', id: `user-${i % 3}` },
  clientId: 'web-app',
  ip: '127.0.0.1',
  userAgent: 'test-agent',
  requestId: `req-${i}`,
  details: { grantType: 'authorization_code', n: i },
  ...extra,
});

for (const kind of ['pglite', 'postgres'] as const) {
  describeWith(...storesFor(kind))(`audit trail on ${kind}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(kind);
    });
    afterEach(async () => {
      await db.drop();
    });
    const store = () => createAuditStore(db.database.knex);
    const verify = () => verifyAuditChain({ store: store(), signer }, 7);
    const superuser = (sql: string) => db.database.knex.raw(sql);

    it('keeps one linear chain when two writers append concurrently, and it verifies', async () => {
      // On Postgres a second pool is a second "process": it only shares the database.
      const second = kind === 'postgres' ? openDatabase({ kind: 'postgres', url: db.url!, poolMax: 3 }) : db.database;
      try {
        const a = trailOn(db.database, undefined, 5);
        const b = trailOn(second, undefined, 5);
        for (let i = 0; i < 120; i += 1) {
          void a.record(event(i));
          void b.record(event(1000 + i));
          if (i % 10 === 0) await Promise.all([a.flush(), b.flush()]);
        }
        await Promise.all([a.close(), b.close()]);
      } finally {
        if (second !== db.database) await second.close();
      }
      const seqs = (await db.database.knex('audit_records').orderBy('seq').pluck('seq')).map(Number);
      expect(seqs).toEqual(Array.from({ length: 240 }, (_, i) => i + 1));
      expect(await verify()).toMatchObject({ ok: true, count: 240, head: { seq: 240 } });
    });

    it('refuses UPDATE, DELETE and TRUNCATE of records, and rewinding the head', async () => {
      const trail = trailOn(db.database);
      for (let i = 0; i < 3; i += 1) void trail.record(event(i));
      await trail.close();
      await expect(superuser("UPDATE audit_records SET outcome = 'failure' WHERE seq = 2")).rejects.toThrow(/append-only/);
      await expect(superuser('DELETE FROM audit_records WHERE seq = 3')).rejects.toThrow(/append-only/);
      await expect(superuser('TRUNCATE audit_records')).rejects.toThrow(/append-only/);
      await expect(superuser('UPDATE audit_chain_head SET seq = 1')).rejects.toThrow(/only moves forward/);
      // Even with the retention flag, records no checkpoint covers stay.
      await expect(
        db.database.knex.transaction(async (trx) => {
          await trx.raw("SELECT set_config('oidc.audit_retention', 'on', true)");
          await trx('audit_records').where({ seq: 1 }).del();
        }),
      ).rejects.toThrow(/append-only/);
      expect(await verify()).toMatchObject({ ok: true, count: 3 });
    });

    it('names an altered record by its sequence, and a record re-hashed after altering by the next one', async () => {
      const trail = trailOn(db.database);
      for (let i = 0; i < 20; i += 1) void trail.record(event(i));
      await trail.close();
      await superuser('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
      await superuser("UPDATE audit_records SET actor_id = 'mallory' WHERE seq = 12");
      expect(await verify()).toMatchObject({ ok: false, seq: 12, count: 11, reason: expect.stringContaining('altered') });
      // A forger who recomputes the hash breaks the link to the next record instead.
      const { hashRecord } = await import('../../server/modules/compliance/index.js');
      const [row] = await store().readFrom(11, 1);
      await superuser(`UPDATE audit_records SET hash = '${hashRecord(row!)}' WHERE seq = 12`);
      expect(await verify()).toMatchObject({ ok: false, seq: 13, reason: expect.stringContaining('previous-hash') });
    });

    it('names a deleted record, in the middle and at the end', async () => {
      const trail = trailOn(db.database);
      for (let i = 0; i < 10; i += 1) void trail.record(event(i));
      await trail.close();
      await superuser('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
      await superuser('DELETE FROM audit_records WHERE seq = 10');
      expect(await verify()).toMatchObject({ ok: false, seq: 10, reason: expect.stringContaining('missing') });
      await superuser('DELETE FROM audit_records WHERE seq = 4');
      expect(await verify()).toMatchObject({ ok: false, seq: 4, reason: 'record 4 is missing (the next stored record is 5)' });
    });

    it('drops old records only behind a signed checkpoint, and verify resumes from it', async () => {
      const old = trailOn(db.database, fixedClock('2020-01-01T00:00:00Z'));
      for (let i = 0; i < 25; i += 1) void old.record(event(i));
      await old.close();
      const recent = trailOn(db.database);
      for (let i = 0; i < 5; i += 1) void recent.record(event(100 + i));
      await recent.close();
      const deps = { store: store(), signer, clock: { now: () => new Date() } };
      const result = await applyAuditRetention(deps, { retentionSeconds: 86_400, batchSize: 10, maxBatches: 2 });
      // Two bounded batches this run; the next run finishes.
      expect(result).toMatchObject({ ran: true, dropped: 20, checkpoint: { seq: 20 } });
      expect(await applyAuditRetention(deps, { retentionSeconds: 86_400, batchSize: 10, maxBatches: 5 })).toMatchObject({ dropped: 5, checkpoint: { seq: 25 } });
      expect((await db.database.knex('audit_records').pluck('seq')).map(Number).sort((x, y) => x - y)).toEqual([26, 27, 28, 29, 30]);
      expect(await verify()).toMatchObject({ ok: true, count: 5, checkpoint: { seq: 25 } });
      // A checkpoint with a forged signature is not a starting point.
      await superuser('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
      await superuser("UPDATE audit_checkpoints SET signature = 'hs256.AAAA' WHERE seq = 25");
      expect(await verify()).toMatchObject({ ok: false, seq: 25, reason: expect.stringContaining('signature') });
      // Nor is a checkpoint signed with another deployment's key.
      const otherSigner = createCheckpointSigner(randomBytes(32).toString('base64url'));
      const latest = await store().latestCheckpoint();
      const { checkpointPayload } = await import('../../server/modules/compliance/index.js');
      await superuser(`UPDATE audit_checkpoints SET signature = '${otherSigner.sign(checkpointPayload(latest!))}' WHERE seq = 25`);
      expect((await verify()).ok).toBe(false);
    });

    it('resumes from a checkpoint retention wrote during the walk, and never loops on records past the head', async () => {
      const old = trailOn(db.database, fixedClock('2020-01-01T00:00:00Z'));
      for (let i = 0; i < 30; i += 1) void old.record(event(i));
      await old.close();
      const real = store();
      let reads = 0;
      const racing = {
        ...real,
        async readFrom(afterSeq: number, limit: number) {
          reads += 1;
          // Retention drops records 1-20 between the walk's first and second batch.
          if (reads === 2) await applyAuditRetention({ store: real, signer, clock: { now: () => new Date() } }, { retentionSeconds: 60, batchSize: 20, maxBatches: 1 });
          return real.readFrom(afterSeq, limit);
        },
      };
      expect(await verifyAuditChain({ store: racing, signer }, 7)).toMatchObject({ ok: true, count: 17, checkpoint: { seq: 20 }, head: { seq: 30 } });

      // A head read before records 24-25 went missing and 26+ were appended: reported, not looped on.
      await superuser('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
      await superuser('DELETE FROM audit_records WHERE seq IN (24, 25)');
      const stale = { ...real, head: async () => ({ seq: 25, hash: 'f'.repeat(64) }) };
      expect(await verifyAuditChain({ store: stale, signer }, 7)).toMatchObject({ ok: false, seq: 24, reason: 'record 24 is missing (the chain head is at 25)' });
    });

    it('refuses to checkpoint over a tampered record', async () => {
      const old = trailOn(db.database, fixedClock('2020-01-01T00:00:00Z'));
      for (let i = 0; i < 6; i += 1) void old.record(event(i));
      await old.close();
      await superuser('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
      await superuser("UPDATE audit_records SET outcome = 'failure' WHERE seq = 3");
      await superuser('ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only');
      const deps = { store: store(), signer, clock: { now: () => new Date() } };
      await expect(applyAuditRetention(deps, { retentionSeconds: 60, batchSize: 100, maxBatches: 1 })).rejects.toThrow(/record 3/);
      expect(await store().latestCheckpoint()).toBeUndefined();
      expect(await db.database.knex('audit_records').count({ n: '*' }).first().then((r) => Number(r!.n))).toBe(6);
    });

    it('stores sanitized events: no secret-looking fields, bounded sizes', async () => {
      const trail = trailOn(db.database);
      void trail.record({
        type: 'auth.login.failure',
        outcome: 'failure',
        actor: { type: 'anonymous' },
        userAgent: 'x'.repeat(5000),
        details: {
          login: 'alice',
          password: 'hunter2',
          access_token: 'at-123',
          refreshToken: 'rt-456',
          client_secret: 'cs-789',
          code: 'authz-code',
          note: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
          nested: { a: 1 } as never,
          reason: 'bad\u0000input',
        },
      });
      await trail.close();
      const [record] = await store().readFrom(0, 10);
      expect(record!.details).toEqual({ login: 'alice', reason: 'badinput', redacted: 7 });
      expect(record!.userAgent!.length).toBeLessThanOrEqual(500);
      const text = JSON.stringify(await db.database.knex('audit_records').select('*'));
      for (const secret of ['hunter2', 'at-123', 'rt-456', 'cs-789', 'authz-code', 'eyJhbGci']) expect(text).not.toContain(secret);
      expect(await verify()).toMatchObject({ ok: true, count: 1 });
    });

    it('searches newest first with a cursor and filters, and exports JSON lines oldest first', async () => {
      const trail = trailOn(db.database, fixedClock('2026-01-01T00:00:00Z'));
      for (let i = 0; i < 9; i += 1) void trail.record(event(i, i === 4 ? { type: 'keys.rotated', actor: { type: 'system' }, subject: { type: 'signing_key', id: 'k1' } } : {}));
      await trail.close();
      const later = trailOn(db.database, fixedClock('2026-02-01T00:00:00Z'));
      void later.record(event(42));
      await later.close();
      const deps = { store: store() };
      const first = await searchAudit(deps, { actorId: 'user-0' }, { limit: 2 });
      expect(first.records.map((r) => r.seq)).toEqual([10, 7]);
      const second = await searchAudit(deps, { actorId: 'user-0' }, { limit: 2, cursor: first.nextCursor! });
      expect(second.records.map((r) => r.seq)).toEqual([4, 1]);
      expect(second.nextCursor).toBeUndefined();
      expect((await searchAudit(deps, { types: ['keys.rotated'] }, { limit: 10 })).records.map((r) => r.subject)).toEqual([{ type: 'signing_key', id: 'k1' }]);
      expect((await searchAudit(deps, { from: new Date('2026-01-15T00:00:00Z') }, { limit: 10 })).records.map((r) => r.seq)).toEqual([10]);
      expect((await searchAudit(deps, { subjectId: 'user-1', to: new Date('2026-01-15T00:00:00Z') }, { limit: 10 })).records.map((r) => r.seq)).toEqual([8, 2]);
      await expect(searchAudit(deps, {}, { limit: 10, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_input' });
      const chunks: string[] = [];
      for await (const chunk of exportAuditLines(deps, {}, 4)) chunks.push(chunk);
      expect(chunks).toHaveLength(3);
      const lines = chunks.join('').trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(lines[0]).toMatchObject({ type: 'oidc.grant.success', actor: { type: 'user', id: 'user-0' }, request_id: 'req-0', prev_hash: '0'.repeat(64), occurred_at: '2026-01-01T00:00:00.000Z' });
      expect(lines[1].prev_hash).toBe(lines[0].hash);
    });
  });
}

describe('audit queue', () => {
  it('drops and counts events beyond its bound, and keeps them queued while the store fails', async () => {
    const dropped: number[] = [];
    const errors: string[] = [];
    let failing = true;
    const appended: number[] = [];
    const store = {
      append: async (link: (head: { seq: number; hash: string }) => Array<{ seq: number }>) => {
        if (failing) throw new Error('database down');
        const records = link({ seq: appended.length, hash: '0'.repeat(64) });
        appended.push(...records.map((r) => r.seq));
        return records;
      },
    } as never;
    const trail = createBufferedAuditTrail(
      { store, clock: { now: () => new Date() }, log: { error: (_f, m) => errors.push(m), warn: () => undefined }, observer: { dropped: (n) => dropped.push(n), flushFailed: () => undefined } },
      { batchSize: 2, maxQueue: 5, flushIntervalMs: 60_000 },
    );
    for (let i = 0; i < 8; i += 1) await trail.record(event(i));
    await trail.flush();
    expect(trail.depth()).toBe(5);
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(3);
    expect(errors).toContain('audit queue full: dropping audit events');
    expect(errors).toContain('audit flush failed; retrying at the next interval');
    failing = false;
    await trail.close();
    expect(trail.depth()).toBe(0);
    expect(appended).toEqual([1, 2, 3, 4, 5]);
  });
});
