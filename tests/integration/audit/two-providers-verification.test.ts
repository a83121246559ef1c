/**
 * The last audit chain verification is read from the trail, not from a process: a verification
 * through the admin API on one provider is what GET /stats reports on another provider of the
 * same database, with who ran it and through what, and still after that provider restarts; a
 * broken chain is reported the same way, naming the record that breaks it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AdminApiClient, adminTokenFor } from '../../helpers/admin-api.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { createTestDatabase, describeWith, postgresUrl, type TestDatabase } from '../../helpers/stores.js';
import { adminSeed, AUDIENCE, SECRET } from '../admin/context.js';

type LastVerification = { ok: boolean; count: number; checked_at: string; head_seq?: number; broken_at?: number; reason?: string; ran_by: { type: string; id?: string }; client_id?: string; via: string };
type Stats = { audit: { head_seq: number; last_verification: LastVerification | null } };

let db: TestDatabase;
const ops: TestProvider[] = [];
beforeAll(async () => {
  if (!postgresUrl) return;
  db = await createTestDatabase('postgres');
  // One deployment: the same key-encryption key (sealed secrets, checkpoint signatures) and cookie keys.
  const shared = { KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'), COOKIE_KEYS: randomBytes(32).toString('base64url'), ADMIN_API_AUDIENCE: AUDIENCE };
  ops.push(await startTestProvider({ database: db, seed: adminSeed(), env: shared }));
  ops.push(await startTestProvider({ database: db, seed: adminSeed(), env: shared }));
});
afterAll(async () => {
  for (const op of ops) await op.stop();
  await db?.drop();
});

/** GET path on `op`, with a token that provider issued (each has its own issuer). */
async function call<T>(op: TestProvider, path: string): Promise<T> {
  const api = await AdminApiClient.open(op.issuer);
  const token = await adminTokenFor(op.issuer, AUDIENCE, 'admin-reader', SECRET, 'admin:read');
  const result = await api.call<T>('GET', path, { token });
  expect(result.status).toBe(200);
  return result.body;
}

describeWith('postgres')('the last audit chain verification, across providers and restarts', () => {
  it('is recorded by the provider that verified and reported by the other, also after it restarts', async () => {
    const [first, second] = ops as [TestProvider, TestProvider];
    await Promise.all(ops.map((op) => op.running.container.compliance.trail.flush()));
    expect((await call<Stats>(second, '/stats')).audit.last_verification).toBeNull();

    const verified = await call<{ ok: boolean; count: number; head_seq: number }>(first, '/audit/verification');
    expect(verified.ok).toBe(true);
    const expected = { ok: true, count: verified.count, head_seq: verified.head_seq, ran_by: { type: 'client', id: 'admin-reader' }, client_id: 'admin-reader', via: 'admin_api' };
    const seen = (await call<Stats>(second, '/stats')).audit;
    expect(seen.last_verification).toMatchObject(expected);
    // The verification is itself a record of the chain, after the records it checked.
    expect(seen.head_seq).toBeGreaterThan(verified.head_seq);
    const rows = await db.database.knex('audit_records').where({ type: 'audit.chain.verified' }).select('seq', 'outcome', 'actor_type', 'actor_id', 'occurred_at');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'success', actor_type: 'client', actor_id: 'admin-reader' });
    expect(Number(rows[0].seq)).toBeGreaterThan(verified.head_seq);
    expect(seen.last_verification!.checked_at).toBe(new Date(rows[0].occurred_at).toISOString());

    await second.restart();
    expect((await call<Stats>(second, '/stats')).audit.last_verification).toEqual(seen.last_verification);
  });

  it('reports a broken chain found on one provider, naming the record, on the other', async () => {
    const [first, second] = ops as [TestProvider, TestProvider];
    const { knex } = db.database;
    // Tampering as a superuser would: past the append-only trigger, then put back as it was.
    const [target] = await knex('audit_records').orderBy('seq').limit(1).offset(2).select('seq', 'actor_id');
    await knex.raw('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
    try {
      await knex('audit_records').where({ seq: target.seq }).update({ actor_id: 'mallory' });
      const verified = await call<{ ok: boolean; broken_at: number; reason: string }>(second, '/audit/verification');
      expect(verified).toMatchObject({ ok: false, broken_at: Number(target.seq) });
      const last = (await call<Stats>(first, '/stats')).audit.last_verification;
      expect(last).toMatchObject({ ok: false, count: Number(target.seq) - 1, broken_at: Number(target.seq), reason: verified.reason, via: 'admin_api' });
      expect(last).not.toHaveProperty('head_seq');
      const [newest] = await knex('audit_records').where({ type: 'audit.chain.verified' }).orderBy('seq', 'desc').limit(1).select('outcome');
      expect(newest.outcome).toBe('failure');
    } finally {
      await knex('audit_records').where({ seq: target.seq }).update({ actor_id: target.actor_id });
      await knex.raw('ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only');
    }
  });
});
