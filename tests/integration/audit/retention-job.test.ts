/**
 * The server's background job applies audit retention: records older than AUDIT_RETENTION_DAYS
 * are dropped behind a signed checkpoint, recent ones stay, and the chain still verifies (from
 * the checkpoint) — including the records the server appends afterwards. A graceful stop
 * flushes the audit queue.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditStore } from '../../../adapters/db/audit-store.js';
import { appendNow, type AuditEvent } from '../../../server/modules/compliance/index.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider({ seed: false, env: { AUDIT_RETENTION_DAYS: '30', AUDIT_RETENTION_INTERVAL: '1' } });
});
afterAll(async () => {
  await op?.stop();
});

const event = (i: number): AuditEvent => ({ type: 'auth.login.failure', outcome: 'failure', actor: { type: 'anonymous' }, details: { n: i } });

describe('audit retention job', () => {
  it('drops records past the retention period behind a checkpoint, and the chain verifies', async () => {
    const { container } = op.running;
    const store = createAuditStore(container.database.knex);
    const old = { store, clock: { now: () => new Date(Date.now() - 40 * 86_400_000) } };
    for (let i = 0; i < 4; i += 1) await appendNow(old, [event(i)]);
    await appendNow({ store, clock: { now: () => new Date() } }, [event(99)]);
    let checkpoint;
    for (let tries = 0; tries < 40 && !checkpoint; tries += 1) {
      await sleep(250);
      checkpoint = await store.latestCheckpoint();
    }
    expect(checkpoint).toMatchObject({ seq: 4 });
    expect((await container.database.knex('audit_records').pluck('seq')).map(Number)).toEqual([5]);
    await container.audit.record(event(100));
    await container.compliance.trail.flush();
    expect(await container.compliance.verify()).toMatchObject({ ok: true, count: 2, checkpoint: { seq: 4 }, head: { seq: 6 } });
  });

  it('stores queued events on a graceful stop', async () => {
    const before = await createAuditStore(op.running.container.database.knex).head();
    for (let i = 0; i < 3; i += 1) await op.running.container.audit.record(event(200 + i));
    expect(op.running.container.compliance.trail.depth()).toBe(3);
    await op.restart();
    const { container } = op.running;
    expect((await createAuditStore(container.database.knex).head()).seq).toBe(before.seq + 3);
    expect(await container.compliance.verify()).toMatchObject({ ok: true });
  });
});
