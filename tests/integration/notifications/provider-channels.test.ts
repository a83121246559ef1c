/**
 * The whole provider with its configured channels: the background worker started by
 * server/start.ts delivers an email to a loopback SMTP server and an SMS through the Twilio SDK
 * to the stand-in; Twilio's status callback is accepted only with a valid X-Twilio-Signature;
 * an audit event reaches a webhook subscriber through the container's composed audit trail.
 */
import twilio from 'twilio';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscription } from '../../../server/modules/webhooks/index.js';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { startSmtp, type TestSmtp } from '../../helpers/smtp.js';
import { startTwilioStandIn, TWILIO_FROM, TWILIO_SID, TWILIO_TOKEN, type TwilioStandIn } from '../../helpers/twilio-stand-in.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { cryptoRandom } from '../../../adapters/crypto/random.js';

let provider: TestProvider;
let smtp: TestSmtp;
let sms: TwilioStandIn;
let receiver: WebhookReceiver;

beforeAll(async () => {
  smtp = await startSmtp();
  sms = await startTwilioStandIn();
  receiver = await startWebhookReceiver();
  provider = await startTestProvider({
    seed: false,
    env: {
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Example ID <no-reply@id.example.com>',
      TWILIO_ACCOUNT_SID: TWILIO_SID,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
      TWILIO_FROM,
      TWILIO_API_BASE_URL: sms.url,
      OUTBOX_POLL_INTERVAL: '1',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    },
  });
});
afterAll(async () => {
  await provider?.stop();
  await Promise.all([smtp?.close(), sms?.close(), receiver?.close()]);
});

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const callbackUrl = () => `${provider.issuer}/notifications/v1/callbacks/twilio`;

function postCallback(params: Record<string, string>, signature: string | undefined) {
  return fetch(callbackUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
    body: new URLSearchParams(params).toString(),
  });
}

/** node:http, because fetch refuses TRACE (a forbidden method in the Fetch standard). */
function rawRequest(method: string, url: string): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { accept: 'application/json' } }, (res) => {
      res.resume();
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('configured channels in a running provider', () => {
  it('the background worker delivers email over SMTP and SMS through Twilio', async () => {
    const { notifier } = provider.running.container;
    await notifier.enqueue({ channel: 'email', template: 'verify-email', locale: 'en', to: 'alice@example.com', data: { link: 'https://id.example.com/v/1', expiresInMinutes: '15' } });
    await notifier.enqueue({ channel: 'sms', template: 'mfa-code', locale: 'en', to: '+4915112345678', data: { code: '493817', expiresInMinutes: '5' } });
    // The first message of each channel imports its SDK (adapters load them at first use): slow on a loaded machine.
    await eventually(() => smtp.received.length === 1 && sms.sent.length === 1, 30_000);
    expect(smtp.received[0]!.to).toEqual(['alice@example.com']);
    expect(sms.sent[0]).toMatchObject({ to: '+4915112345678', statusCallback: callbackUrl() });
    expect(sms.sent[0]!.body).toContain('493817');
    // Delivery is logged by id, never with the code or the link.
    await eventually(() => provider.logs.filter((line) => line.includes('outbox message delivered')).length >= 2);
    expect(provider.logs.join('\n')).not.toMatch(/493817|id\.example\.com\/v\/1/);
  });

  it('accepts a Twilio status callback with a valid signature and records the status', async () => {
    const sid = sms.sent[0]!.sid;
    const params = { AccountSid: TWILIO_SID, MessageSid: sid, SmsSid: sid, MessageStatus: 'delivered', To: '+4915112345678', From: TWILIO_FROM, ApiVersion: '2010-04-01' };
    const response = await postCallback(params, twilio.getExpectedTwilioSignature(TWILIO_TOKEN, callbackUrl(), params));
    expect(response.status).toBe(204);
    const row = await provider.running.container.database.knex('outbox_messages').where({ provider_message_id: sid }).first('delivery_status');
    expect(row.delivery_status).toBe('delivered');
  });

  it('refuses a callback with an invalid or missing signature, without changing anything', async () => {
    const sid = sms.sent[0]!.sid;
    const params = { AccountSid: TWILIO_SID, MessageSid: sid, MessageStatus: 'failed', ErrorCode: '30008' };
    const forged = await postCallback(params, twilio.getExpectedTwilioSignature('another-token-of-32-characters!!', callbackUrl(), params));
    expect(forged.status).toBe(403);
    expect(forged.headers.get('content-type')).toContain('application/problem+json');
    expect(await forged.json()).toMatchObject({ status: 403, code: 'forbidden' });
    // A valid signature over other parameters does not cover these.
    const resigned = await postCallback({ ...params, MessageStatus: 'undelivered' }, twilio.getExpectedTwilioSignature(TWILIO_TOKEN, callbackUrl(), params));
    expect(resigned.status).toBe(403);
    expect((await postCallback(params, undefined)).status).toBe(403);
    const row = await provider.running.container.database.knex('outbox_messages').where({ provider_message_id: sid }).first('delivery_status');
    expect(row.delivery_status).toBe('delivered');
  });

  it('answers malformed callbacks with 4xx problem+json, never 500', async () => {
    const signed = (params: Record<string, string>) => postCallback(params, twilio.getExpectedTwilioSignature(TWILIO_TOKEN, callbackUrl(), params));
    expect((await signed({ MessageSid: 'not-a-sid', MessageStatus: 'delivered' })).status).toBe(400);
    expect((await signed({ MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'exploded' })).status).toBe(400);
    // An unknown message is acknowledged, so Twilio stops retrying.
    expect((await signed({ MessageSid: `SM${'0'.repeat(32)}`, MessageStatus: 'delivered' })).status).toBe(204);
    const json = await fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    const huge = await fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${'x'.repeat(200_000)}` });
    expect(huge.status).toBe(400);
    // Chunked, so the size is only known while reading.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i += 1) controller.enqueue(new TextEncoder().encode(`a${i}=${'x'.repeat(10_000)}&`));
        controller.close();
      },
    });
    const chunked = await fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(400);
    expect((await fetch(callbackUrl())).status).toBe(405);
    // SES events are off without SES_EVENTS_TOPIC_ARN.
    expect((await fetch(`${provider.issuer}/notifications/v1/callbacks/ses`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('answers methods the callbacks do not serve (PROPFIND, TRACE, GET, PUT, DELETE) with 405 and Allow: POST', async () => {
    for (const path of ['/notifications/v1/callbacks/twilio', '/notifications/v1/callbacks/ses']) {
      for (const method of ['PROPFIND', 'TRACE', 'GET', 'PUT', 'DELETE', 'PATCH']) {
        const answer = await rawRequest(method, `${provider.issuer}${path}`);
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.allow).toBe('POST');
        expect(answer.headers['content-type']).toContain('application/problem+json');
      }
    }
  });

  it('an audit event recorded through the container reaches a webhook subscriber', async () => {
    const { container } = provider.running;
    const { secret } = await createSubscription(
      { subscriptions: container.delivery.subscriptions, endpoints: container.delivery.endpoints, random: cryptoRandom },
      { url: receiver.url, description: 'siem', eventTypes: ['admin.client.deleted'], active: true },
    );
    await container.audit.record({ type: 'admin.client.deleted', outcome: 'success', actor: { type: 'system' }, subject: { type: 'client', id: 'old-app' } });
    await eventually(() => receiver.received.length === 1);
    const payload = new Webhook(secret).verify(receiver.received[0]!.body, receiver.received[0]!.headers);
    expect(payload).toMatchObject({ type: 'admin.client.deleted', data: { subject: { id: 'old-app' } } });
  });
});
