/**
 * Email from intent to a real SMTP server on loopback: the intent is written in the caller's
 * transaction (and vanishes with a rollback), rendered from the templates, delivered by the
 * worker with nodemailer; a 4xx reply is retried with backoff, a 5xx reply or the last attempt
 * dead-letters it; every attempt is logged without the recipient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpChannel } from '../../../adapters/mailer/smtp.js';
import { createUnitOfWork } from '../../../adapters/db/unit-of-work.js';
import { createLogSmsChannel } from '../../../adapters/console/log-channel.js';
import { createOutboxNotifier, messageHandler } from '../../../server/modules/notifications/index.js';
import { decodeQuotedPrintable, startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/stores.js';
import { FAST_POLICY, outboxOver, quietLog, templates, until, workerOver } from '../../helpers/outbox.js';

let db: TestDatabase;
let smtp: TestSmtp;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtp();
});
afterAll(async () => {
  await smtp?.close();
  await db?.drop();
});

function setup() {
  const { knex } = db.database;
  const outbox = outboxOver(knex);
  const renderer = templates();
  const email = createSmtpChannel({ url: smtp.url, from: 'Example ID <no-reply@id.example.com>', requireTls: false });
  const handler = messageHandler({ templates: renderer, email, sms: createLogSmsChannel(quietLog) });
  const worker = workerOver(knex, { email: handler, sms: handler });
  const notifier = createOutboxNotifier({ outbox, templates: renderer, maxAttempts: FAST_POLICY.maxAttempts });
  return { knex, outbox, worker, notifier, unitOfWork: createUnitOfWork(knex) };
}

async function messageIdFor(knex: typeof db.database.knex, template: string): Promise<string> {
  const row = await knex('outbox_messages').where({ topic: template }).orderBy('created_at', 'desc').first('id');
  return row.id as string;
}

describe('email over SMTP', () => {
  it('commits the intent with the caller\'s transaction and not without it', async () => {
    const { knex, notifier, unitOfWork } = setup();
    await expect(
      unitOfWork.run(async (transaction) => {
        await notifier.enqueue({ channel: 'email', template: 'password-reset', locale: 'en', to: 'rolled@example.com', data: { link: 'https://id.example.com/x', expiresInMinutes: '30' } }, { transaction });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(Number((await knex('outbox_messages').where({ topic: 'password-reset' }).count({ n: '*' }).first())!.n)).toBe(0);
  });

  it('delivers a rendered German email after an SMTP 4xx, logging both attempts', async () => {
    const { knex, outbox, worker, notifier, unitOfWork } = setup();
    const link = 'https://id.example.com/verify?token=abc&x=<b>';
    await unitOfWork.run((transaction) => notifier.enqueue({ channel: 'email', template: 'verify-email', locale: 'de-AT', to: 'erika@example.com', data: { link, expiresInMinutes: '15' } }, { transaction }));
    const id = await messageIdFor(knex, 'verify-email');
    // Payloads are sealed at rest: the link is a secret in transit.
    const stored = await knex('outbox_messages').where({ id }).first('payload_sealed');
    expect(stored.payload_sealed).not.toContain('erika');

    smtp.failNext(1, 451);
    const before = smtp.received.length;
    await worker.runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('451') });
    await until(async () => (await outbox.find(id))?.status === 'delivered', () => worker.runOnce());

    expect(smtp.received.length).toBe(before + 1);
    const mail = smtp.received.at(-1)!;
    expect(mail.to).toEqual(['erika@example.com']);
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(mail.raw).toContain(`Message-ID: <${id}@id.example.com>`);
    expect(mail.raw).toContain('text/html');
    expect(mail.raw).toContain('text/plain');
    // The HTML part escapes the data: the link's `<b>` never becomes markup.
    expect(mail.raw).toContain('&lt;b&gt;');
    expect(mail.raw).not.toContain('x=<b>"');
    // The text part is plain text: the link arrives as given, `&` not turned into `&amp;`.
    const decoded = decodeQuotedPrintable(mail.raw);
    expect(decoded).toContain('Bestätigen Sie Ihre E-Mail-Adresse');
    expect(decoded).toContain('\ntoken=abc&x=<b>'.slice(1));
    expect(decoded).toContain('lang="de"');

    const attempts = await outbox.attempts(id);
    expect(attempts.map((a) => [a.attempt, a.status, a.provider])).toEqual([
      [1, 'retry', 'smtp'],
      [2, 'delivered', 'smtp'],
    ]);
    expect(attempts[0]!.responseStatus).toBe(451);
    expect(attempts[1]!.providerMessageId).toBe(`<${id}@id.example.com>`);
    expect(JSON.stringify(attempts)).not.toContain('erika');
  });

  it('dead-letters after the last of its attempts when the server keeps answering 4xx', async () => {
    const { knex, outbox, worker, notifier } = setup();
    await notifier.enqueue({ channel: 'email', template: 'verify-email', locale: 'en', to: 'busy@example.com', data: { link: 'https://id.example.com/v', expiresInMinutes: '15' } });
    const id = await messageIdFor(knex, 'verify-email');
    smtp.failNext(FAST_POLICY.maxAttempts, 421);
    await until(async () => (await outbox.find(id))?.status === 'dead', () => worker.runOnce());
    const attempts = await outbox.attempts(id);
    expect(attempts.map((a) => a.status)).toEqual(['retry', 'retry', 'dead']);
    expect(await outbox.find(id)).toMatchObject({ status: 'dead', attempts: FAST_POLICY.maxAttempts });
  });

  it('dead-letters at once on a permanent 5xx rejection', async () => {
    const { knex, outbox, worker, notifier } = setup();
    await notifier.enqueue({ channel: 'email', template: 'password-reset', locale: 'en', to: 'gone@example.com', data: { link: 'https://id.example.com/r', expiresInMinutes: '30' } });
    const id = await messageIdFor(knex, 'password-reset');
    smtp.failNext(1, 550);
    await worker.runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect((await outbox.attempts(id)).map((a) => [a.status, a.responseStatus])).toEqual([['dead', 550]]);
  });

  it('refuses an unknown template or a recipient of the wrong kind when enqueuing', async () => {
    const { notifier } = setup();
    await expect(notifier.enqueue({ channel: 'email', template: 'no-such-template', locale: 'en', to: 'a@example.com', data: {} })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(notifier.enqueue({ channel: 'email', template: '../../layout', locale: 'en', to: 'a@example.com', data: {} })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(notifier.enqueue({ channel: 'sms', template: 'mfa-code', locale: 'en', to: 'a@example.com', data: {} })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('purges settled messages past retention with their delivery logs, never pending ones', async () => {
    const { knex, outbox, notifier } = setup();
    await notifier.enqueue({ channel: 'email', template: 'verify-email', locale: 'en', to: 'later@example.com', data: { link: 'https://id.example.com/v', expiresInMinutes: '15' } });
    const count = async (table: string, where: Record<string, string> = {}) => Number((await knex(table).where(where).count({ n: '*' }).first())!.n);
    const settled = (await count('outbox_messages', { status: 'delivered' })) + (await count('outbox_messages', { status: 'dead' }));
    expect(settled).toBeGreaterThan(1);
    expect(await outbox.purgeSettled(new Date(Date.now() - 60_000), 100)).toBe(0);
    // Two at a time: the batch bound holds.
    expect(await outbox.purgeSettled(new Date(Date.now() + 60_000), 2)).toBe(2);
    expect(await outbox.purgeSettled(new Date(Date.now() + 60_000), 100)).toBe(settled - 2);
    expect(await count('outbox_messages', { status: 'pending' })).toBe(1);
    expect(await count('outbox_attempts')).toBe(0);
  });
});
