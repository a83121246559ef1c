/**
 * Several provider processes over one outbox: two workers, each with its own connection pool
 * (as two replicas would have), race over the same messages and every message reaches the real
 * SMTP server exactly once. A worker that dies mid-delivery loses its lease: another worker
 * retries the message once the lease expires, and the dead worker's late write is refused.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogSmsChannel } from '../../../adapters/console/log-channel.js';
import { openDatabase, type Database } from '../../../adapters/db/knex.js';
import { createSmtpChannel } from '../../../adapters/mailer/smtp.js';
import { createOutboxNotifier, messageHandler } from '../../../server/modules/notifications/index.js';
import { FAST_POLICY, outboxOver, quietLog, templates, until, workerOver } from '../../helpers/outbox.js';
import { startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { createTestDatabase, describeWith, postgresUrl, type TestDatabase } from '../../helpers/stores.js';

let db: TestDatabase;
let second: Database;
let smtp: TestSmtp;

beforeAll(async () => {
  if (!postgresUrl) return;
  db = await createTestDatabase('postgres');
  second = openDatabase({ kind: 'postgres', url: db.url!, poolMax: 5 });
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await second?.close();
  await db?.drop();
});

function handlerFor() {
  const email = createSmtpChannel({ url: smtp.url, from: 'no-reply@id.example.com', requireTls: false });
  return messageHandler({ templates: templates(), email, sms: createLogSmsChannel(quietLog) });
}

async function enqueueMany(count: number): Promise<void> {
  const notifier = createOutboxNotifier({ outbox: outboxOver(db.database.knex), templates: templates(), maxAttempts: FAST_POLICY.maxAttempts });
  for (let i = 0; i < count; i += 1) {
    await notifier.enqueue({ channel: 'email', template: 'verify-email', locale: 'en', to: `user${i}@example.com`, data: { link: `https://id.example.com/v/${i}`, expiresInMinutes: '15' } });
  }
}

const pendingCount = async () => Number((await db.database.knex('outbox_messages').whereNot({ status: 'delivered' }).count({ n: '*' }).first())!.n);

describeWith('postgres')('outbox with several workers', () => {
  it('two racing workers deliver every message exactly once', async () => {
    await enqueueMany(40);
    const a = workerOver(db.database.knex, { email: handlerFor() });
    const b = workerOver(second.knex, { email: handlerFor() });
    const before = smtp.received.length;
    const claimedBy = { a: 0, b: 0 };
    // Both run rounds back to back, concurrently, until nothing is left.
    const loop = async (worker: typeof a, name: 'a' | 'b') => {
      while ((await pendingCount()) > 0) claimedBy[name] += await worker.runOnce();
    };
    await Promise.all([loop(a, 'a'), loop(b, 'b')]);

    const delivered = smtp.received.slice(before);
    const ids = delivered.map((mail) => /^Message-ID: (.*)$/m.exec(mail.raw)?.[1]);
    expect(delivered).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(new Set(delivered.flatMap((mail) => mail.to)).size).toBe(40);
    // Each message was attempted once: no worker claimed a row another one held.
    const attempts = await db.database.knex('outbox_attempts').select('message_id');
    expect(attempts).toHaveLength(40);
    expect(claimedBy.a + claimedBy.b).toBe(40);
  });

  it('retries a message whose worker died once its lease expires, and refuses the dead worker\'s late outcome', async () => {
    await enqueueMany(1);
    const [row] = await db.database.knex('outbox_messages').where({ status: 'pending' }).select('id');
    const crashed = outboxOver(second.knex);
    const leaseMs = 300;
    const [held] = await crashed.claim(10, leaseMs);
    expect(held?.id).toBe(row.id);

    const survivor = workerOver(db.database.knex, { email: handlerFor() }, FAST_POLICY, leaseMs);
    expect(await survivor.runOnce()).toBe(0);
    const before = smtp.received.length;
    await until(async () => (await outboxOver(db.database.knex).find(row.id))?.status === 'delivered', () => survivor.runOnce());
    expect(smtp.received.length).toBe(before + 1);

    // The "dead" worker wakes up and reports: its lease token no longer matches.
    expect(await crashed.settle(held!, { status: 'delivered', receipt: { provider: 'smtp' }, durationMs: 1 })).toBe(false);
    expect(await outboxOver(db.database.knex).find(row.id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('dead-letters a message whose worker died during its final attempt, without sending it again', async () => {
    const outbox = outboxOver(db.database.knex);
    const id = await outbox.add({ kind: 'email', topic: 'verify-email', payload: { channel: 'email', template: 'verify-email', locale: 'en', to: 'last@example.com', data: {} }, maxAttempts: 1 });
    const [held] = await outboxOver(second.knex).claim(10, 200);
    expect(held?.id).toBe(id);
    const survivor = workerOver(db.database.knex, { email: handlerFor() }, FAST_POLICY, 200);
    const before = smtp.received.length;
    await until(async () => (await outbox.find(id))?.status === 'dead', () => survivor.runOnce());
    expect(smtp.received.length).toBe(before);
    expect((await outbox.attempts(id)).map((a) => [a.attempt, a.status, a.error])).toEqual([[2, 'dead', 'lease expired during the final attempt']]);
  });
});
