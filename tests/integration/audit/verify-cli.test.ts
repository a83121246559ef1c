/**
 * The real `oidc-server audit verify` binary against a deployment's database (Postgres when
 * DATABASE_URL is set, else PGlite in DATA_DIR): OK with the count after a signed retention
 * checkpoint; exit 1 naming the sequence of an altered record (trigger disabled as superuser)
 * and of a deleted one; exit 1 when the checkpoint does not verify under this deployment's
 * KEY_ENCRYPTION_KEY. `keys rotate` appends its keys.rotated records to the same chain, and each
 * verification its outcome (audit.chain.verified).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createCheckpointSigner } from '../../../adapters/crypto/checkpoint-signer.js';
import { createAuditStore } from '../../../adapters/db/audit-store.js';
import { openDatabase } from '../../../adapters/db/knex.js';
import { migrateToLatest } from '../../../adapters/db/migrate.js';
import { appendNow, applyAuditRetention, type AuditEvent } from '../../../server/modules/compliance/index.js';
import { buildOnce } from '../../helpers/build.js';
import { cli as oidcServer } from '../../helpers/cli.js';
import { adminQuery, postgresUrl } from '../../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'oidc-audit-cli-'));
const dbName = `oidc_audit_cli_${randomBytes(6).toString('hex')}`;
const databaseUrl = postgresUrl ? Object.assign(new URL(postgresUrl), { pathname: `/${dbName}` }).toString() : undefined;
const deployment: Record<string, string> = {
  NODE_ENV: 'test',
  DATA_DIR: dir,
  KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  COOKIE_KEYS: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'silent',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
};
const cli = (args: string[], env: Record<string, string> = {}) => oidcServer(args, { ...deployment, ...env });
const verify = (env: Record<string, string> = {}) => cli(['audit', 'verify'], env);

/** Opens the deployment's database for one step and closes it (PGlite allows one process at a time). */
async function withDatabase<T>(work: (knex: Knex) => Promise<T>): Promise<T> {
  const database = databaseUrl ? openDatabase({ kind: 'postgres', url: databaseUrl, poolMax: 2 }) : openDatabase({ kind: 'pglite', directory: join(dir, 'pglite') });
  try {
    return await work(database.knex);
  } finally {
    await database.close();
  }
}

const event = (i: number): AuditEvent => ({ type: 'auth.login.success', outcome: 'success', actor: { type: 'user', id: `user-${i}` }, requestId: `req-${i}`, details: { n: i } });

beforeAll(async () => {
  expect(await buildOnce()).toBe('');
  if (postgresUrl) await adminQuery(`CREATE DATABASE ${dbName}`);
  await withDatabase(async (knex) => {
    await migrateToLatest(knex);
    const store = createAuditStore(knex);
    // Ten records from two years ago (dropped by retention), then twenty recent ones.
    for (let i = 1; i <= 10; i += 1) await appendNow({ store, clock: { now: () => new Date(Date.now() - 2 * 365 * 86_400_000) } }, [event(i)]);
    for (let i = 11; i <= 30; i += 1) await appendNow({ store, clock: { now: () => new Date() } }, [event(i)]);
    const retention = await applyAuditRetention(
      { store, signer: createCheckpointSigner(deployment.KEY_ENCRYPTION_KEY!), clock: { now: () => new Date() } },
      { retentionSeconds: 365 * 86_400, batchSize: 4, maxBatches: 10 },
    );
    expect(retention).toMatchObject({ dropped: 10, checkpoint: { seq: 10 } });
  });
}, 180_000);

afterAll(async () => {
  if (postgresUrl) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

// Each test spawns the CLI up to four times (a Node start each): on a loaded two-core machine one
// start alone has taken 15 s, so the default 30 s bound failed tests that were not wrong.
describe('oidc-server audit verify', { timeout: 120_000 }, () => {
  it('prints OK with the count of records verified after the signed checkpoint', async () => {
    const result = await verify();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('OK: 20 audit record(s) verified after the signed checkpoint at record 10; chain head at record 30.');
    // The outcome is appended to the chain it checked, by the system through the CLI (GET /stats reads it).
    const [recorded] = await withDatabase((knex) => knex('audit_records').where({ type: 'audit.chain.verified' }).select('seq', 'outcome', 'actor_type', 'details'));
    expect({ ...recorded, seq: Number(recorded.seq) }).toEqual({ seq: 31, outcome: 'success', actor_type: 'system', details: { via: 'cli', count: 20, head_seq: 30, checkpoint_seq: 10 } });
  });

  it('keys rotate appends keys.rotated records to the same chain, which still verifies', async () => {
    expect((await cli(['keys', 'rotate'])).code).toBe(0); // a fresh database: creates the first keys
    const rotated = await cli(['keys', 'rotate']);
    expect(rotated.code).toBe(0);
    const created = rotated.stdout.split('\n').find((l) => l.startsWith('New signing keys:'))!.split(': ')[1]!.split(', ');
    const records = await withDatabase((knex) => knex('audit_records').where({ type: 'keys.rotated' }).orderBy('seq').select('seq', 'subject_id', 'actor_type'));
    expect(records.map((r) => r.subject_id)).toEqual(created);
    expect(records.map((r) => Number(r.seq))).toEqual([32, 33]);
    expect(records.every((r) => r.actor_type === 'system')).toBe(true);
    // 20 records, the verification recorded at 31, and the two keys.
    expect((await verify()).stdout.trim()).toBe('OK: 23 audit record(s) verified after the signed checkpoint at record 10; chain head at record 33.');
  });

  it('exits 1 naming an altered record', async () => {
    await withDatabase(async (knex) => {
      await knex.raw('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
      await knex.raw("UPDATE audit_records SET actor_id = 'mallory' WHERE seq = 17");
    });
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe('audit chain broken at record 17: its content does not match its hash (the record was altered) (6 record(s) before it verified)');
    const [recorded] = await withDatabase((knex) => knex('audit_records').where({ type: 'audit.chain.verified' }).orderBy('seq', 'desc').limit(1).select('outcome', 'details'));
    expect(recorded).toEqual({ outcome: 'failure', details: { via: 'cli', count: 6, broken_at: 17, reason: 'its content does not match its hash (the record was altered)' } });
    await withDatabase((knex) => knex.raw("UPDATE audit_records SET actor_id = 'user-17' WHERE seq = 17"));
    expect((await verify()).code).toBe(0);
  });

  it('exits 1 naming a deleted record', async () => {
    await withDatabase((knex) => knex.raw('DELETE FROM audit_records WHERE seq = 22'));
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('audit chain broken at record 22: record 22 is missing (the next stored record is 23)');
  });

  it('exits 1 when the checkpoint does not verify under this KEY_ENCRYPTION_KEY', async () => {
    const result = await verify({ KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('audit chain broken at record 10: the retention checkpoint ending here has an invalid signature');
  });
});
