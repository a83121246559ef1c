/**
 * SMS through the real Twilio SDK to a local stand-in of Twilio's Messages API: delivered with
 * the stand-in's message SID recorded, a 500 retried, a 4xx (invalid number) dead-lettered at
 * once, and dead-lettered after the last attempt when the API keeps failing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogEmailChannel } from '../../../adapters/console/log-channel.js';
import { createTwilioChannel } from '../../../adapters/twilio/sms.js';
import { createOutboxNotifier, messageHandler } from '../../../server/modules/notifications/index.js';
import { FAST_POLICY, outboxOver, quietLog, templates, until, workerOver } from '../../helpers/outbox.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/stores.js';
import { startTwilioStandIn, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, type TwilioStandIn } from '../../helpers/twilio-stand-in.js';

let db: TestDatabase;
let twilio: TwilioStandIn;

beforeAll(async () => {
  db = await createTestDatabase();
  twilio = await startTwilioStandIn();
});
afterAll(async () => {
  await twilio?.close();
  await db?.drop();
});

function setup() {
  const { knex } = db.database;
  const outbox = outboxOver(knex);
  const renderer = templates();
  const sms = createTwilioChannel({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, from: TWILIO_FROM, apiBaseUrl: twilio.url, statusCallbackUrl: 'https://id.example.com/notifications/v1/callbacks/twilio' });
  const handler = messageHandler({ templates: renderer, email: createLogEmailChannel(quietLog), sms });
  return { knex, outbox, worker: workerOver(knex, { sms: handler }), notifier: createOutboxNotifier({ outbox, templates: renderer, maxAttempts: FAST_POLICY.maxAttempts }) };
}

async function enqueue(notifier: ReturnType<typeof setup>['notifier'], knex: ReturnType<typeof setup>['knex'], to: string): Promise<string> {
  await notifier.enqueue({ channel: 'sms', template: 'mfa-code', locale: 'de', to, data: { code: '493817', expiresInMinutes: '5' } });
  const row = await knex('outbox_messages').where({ kind: 'sms' }).orderBy('created_at', 'desc').first('id');
  return row.id as string;
}

describe('SMS through Twilio', () => {
  it('delivers after a 500, recording the message SID and both attempts', async () => {
    const { knex, outbox, worker, notifier } = setup();
    const id = await enqueue(notifier, knex, '+4915112345678');
    twilio.failNext(1, 500);
    await worker.runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'pending', attempts: 1 });
    await until(async () => (await outbox.find(id))?.status === 'delivered', () => worker.runOnce());

    const sent = twilio.sent.at(-1)!;
    expect(sent).toMatchObject({ to: '+4915112345678', from: TWILIO_FROM, statusCallback: 'https://id.example.com/notifications/v1/callbacks/twilio' });
    expect(sent.body).toBe('493817 ist Ihr Anmeldecode für Example ID. Er läuft in 5 Minuten ab. Geben Sie ihn nie weiter.');
    expect(await outbox.find(id)).toMatchObject({ provider: 'twilio', providerMessageId: sent.sid });
    const attempts = await outbox.attempts(id);
    expect(attempts.map((a) => [a.status, a.responseStatus])).toEqual([
      ['retry', 500],
      ['delivered', 201],
    ]);
    // The recipient and the code stay out of the delivery log.
    expect(JSON.stringify(attempts)).not.toMatch(/4915112345678|493817/);
  });

  it('dead-letters at once when Twilio refuses the number (400)', async () => {
    const { knex, outbox, worker, notifier } = setup();
    const id = await enqueue(notifier, knex, '+4915100000000');
    twilio.failNext(1, 400, 21211);
    await worker.runOnce();
    expect(await outbox.find(id)).toMatchObject({ status: 'dead', attempts: 1, lastError: expect.stringContaining('21211') });
  });

  it('dead-letters after the last attempt when the API keeps failing', async () => {
    const { knex, outbox, worker, notifier } = setup();
    const id = await enqueue(notifier, knex, '+4915199999999');
    const sentBefore = twilio.sent.length;
    twilio.failNext(FAST_POLICY.maxAttempts, 503);
    await until(async () => (await outbox.find(id))?.status === 'dead', () => worker.runOnce());
    expect((await outbox.attempts(id)).map((a) => a.status)).toEqual(['retry', 'retry', 'dead']);
    expect(twilio.sent.length).toBe(sentBefore);
  });
});
