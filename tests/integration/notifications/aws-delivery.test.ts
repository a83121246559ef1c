/**
 * Email through SES v2 and SMS through SNS with the real AWS SDK v3 clients, pointed at a local
 * stand-in by the configurable endpoint: delivered with AWS's MessageId recorded, throttling
 * retried, a rejected message dead-lettered at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesChannel } from '../../../adapters/aws/ses.js';
import { createSnsChannel } from '../../../adapters/aws/sns.js';
import { createOutboxNotifier, messageHandler } from '../../../server/modules/notifications/index.js';
import { startAwsStandIn, type AwsStandIn } from '../../helpers/aws-stand-in.js';
import { FAST_POLICY, outboxOver, templates, until, workerOver } from '../../helpers/outbox.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/stores.js';

let db: TestDatabase;
let aws: AwsStandIn;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  // The SDK's default credential chain reads these, as it would in a container.
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  db = await createTestDatabase();
  aws = await startAwsStandIn();
});
afterAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = saved.id;
  process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
  await aws?.close();
  await db?.drop();
});

function setup() {
  const { knex } = db.database;
  const outbox = outboxOver(knex);
  const renderer = templates();
  const email = createSesChannel({ region: 'eu-central-1', from: 'no-reply@id.example.com', endpoint: aws.url, configurationSet: 'events' });
  const sms = createSnsChannel({ region: 'eu-central-1', endpoint: aws.url });
  const handler = messageHandler({ templates: renderer, email, sms });
  return { knex, outbox, worker: workerOver(knex, { email: handler, sms: handler }), notifier: createOutboxNotifier({ outbox, templates: renderer, maxAttempts: FAST_POLICY.maxAttempts }) };
}

const latest = async (knex: ReturnType<typeof setup>['knex'], kind: string) => ((await knex('outbox_messages').where({ kind }).orderBy('created_at', 'desc').first('id')) as { id: string }).id;

describe('AWS channels', () => {
  it('sends email through SES v2 after a throttling answer', async () => {
    const { knex, outbox, worker, notifier } = setup();
    await notifier.enqueue({ channel: 'email', template: 'password-reset', locale: 'en', to: 'bob@example.com', data: { link: 'https://id.example.com/r/1', expiresInMinutes: '30' } });
    const id = await latest(knex, 'email');
    aws.failNext(1, 429, 'TooManyRequestsException');
    await worker.runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'pending', attempts: 1 });
    await until(async () => (await outbox.find(id))?.status === 'delivered', () => worker.runOnce());
    const sent = aws.emails.at(-1)! as { FromEmailAddress: string; Destination: { ToAddresses: string[] }; ConfigurationSetName: string; Content: { Simple: { Subject: { Data: string }; Body: { Html: { Data: string }; Text: { Data: string } } } } };
    expect(sent.FromEmailAddress).toBe('no-reply@id.example.com');
    expect(sent.Destination.ToAddresses).toEqual(['bob@example.com']);
    expect(sent.ConfigurationSetName).toBe('events');
    expect(sent.Content.Simple.Subject.Data).toBe('Reset your Example ID password');
    expect(sent.Content.Simple.Body.Text.Data).toContain('https://id.example.com/r/1');
    expect((await outbox.find(id))?.provider).toBe('ses');
    expect((await outbox.find(id))?.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('dead-letters an email SES rejects', async () => {
    const { knex, outbox, worker, notifier } = setup();
    await notifier.enqueue({ channel: 'email', template: 'password-reset', locale: 'en', to: 'rejected@example.com', data: { link: 'https://id.example.com/r/2', expiresInMinutes: '30' } });
    const id = await latest(knex, 'email');
    aws.failNext(1, 400, 'MessageRejected');
    await worker.runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('MessageRejected') });
  });

  it('sends a transactional SMS through SNS, retrying a server fault', async () => {
    const { knex, outbox, worker, notifier } = setup();
    await notifier.enqueue({ channel: 'sms', template: 'verify-phone', locale: 'de', to: '+4917612345678', data: { code: '111222', expiresInMinutes: '10' } });
    const id = await latest(knex, 'sms');
    aws.failNext(1, 500, 'InternalError');
    await until(async () => (await outbox.find(id))?.status === 'delivered', () => worker.runOnce());
    expect(aws.sms.at(-1)).toEqual({ phoneNumber: '+4917612345678', message: expect.stringContaining('111222 ist Ihr Code'), smsType: 'Transactional' });
    expect((await outbox.attempts(id)).map((a) => [a.status, a.provider])).toEqual([
      ['retry', 'sns'],
      ['delivered', 'sns'],
    ]);
  });
});
