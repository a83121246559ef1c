/**
 * SES delivery events relayed by SNS over HTTP: the callback route with the real SNS signature
 * verifier (a certificate made here with openssl stands in for the one AWS hosts; only its fetch
 * is replaced). A signed Delivery or Bounce event updates the message; a forged signature, a
 * foreign topic or a certificate URL off the SNS hosts is refused with 403; malformed bodies 400.
 */
import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import compose from 'koa-compose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsMessageVerifier, stringToSign } from '../../../adapters/aws/sns-message.js';
import { createTranslations } from '../../../adapters/i18n/i18next-translations.js';
import { problemDetails } from '../../../server/http/middleware/problem-details.js';
import { notificationCallbackRoutes } from '../../../server/http/routes/notification-callbacks.js';
import { createRenderer } from '../../../adapters/views/eta-renderer.js';
import { recordDeliveryStatus } from '../../../server/modules/notifications/index.js';
import { outboxOver, quietLog } from '../../helpers/outbox.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/stores.js';

const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:ses-events';
const CERT_URL = 'https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-test.pem';

let dir: string;
let key: string;
let certificate: string;
let db: TestDatabase;
let server: Server;
let url: string;
const confirmed: string[] = [];
const audited: Array<{ type: string; details?: Record<string, unknown> }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sns-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=sns.amazonaws.com'], { stdio: 'ignore' });
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
  certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
  db = await createTestDatabase();
  const outbox = outboxOver(db.database.knex);
  const verifier = createSnsMessageVerifier({ topicArn: TOPIC, certificate: async (u) => (u === CERT_URL ? certificate : Promise.reject(new Error('unknown certificate'))) });
  const routes = notificationCallbackRoutes({
    twilio: undefined,
    ses: { verify: (m) => verifier.verify(m), confirm: async (m) => void confirmed.push(String(m.SubscribeURL)) },
    record: (status) => recordDeliveryStatus({ outbox, audit: { record: async (event) => void audited.push(event) } }, status),
    log: quietLog,
  });
  const app = new Koa();
  app.use(problemDetails(createRenderer({ cache: true, productName: 'x', translations: createTranslations() })));
  app.use(compose([routes.routes(), routes.allowedMethods({ throw: true })]) as Koa.Middleware);
  app.silent = true;
  server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notifications/v1/callbacks/ses`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function signed(fields: Record<string, string>, version: '1' | '2' = '2'): Record<string, string> {
  const message = { ...fields, SignatureVersion: version, SigningCertURL: CERT_URL };
  const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256').update(stringToSign(message)!, 'utf8').sign(key, 'base64');
  return { ...message, Signature: signature };
}

function notification(event: object, overrides: Record<string, string> = {}) {
  return signed({ Type: 'Notification', MessageId: crypto.randomUUID(), TopicArn: TOPIC, Message: JSON.stringify(event), Timestamp: new Date().toISOString(), ...overrides });
}

const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function sentEmail(providerMessageId: string): Promise<string> {
  const outbox = outboxOver(db.database.knex);
  const id = await outbox.add({ kind: 'email', topic: 'verify-email', payload: {}, maxAttempts: 3 });
  await db.database.knex('outbox_messages').where({ id }).update({ status: 'delivered', provider: 'ses', provider_message_id: providerMessageId });
  return id;
}

describe('SES events via SNS', () => {
  it('records a signed Delivery event, and a Bounce with its type', async () => {
    const delivered = await sentEmail('0102018c-ses-delivered');
    expect((await post(notification({ eventType: 'Delivery', mail: { messageId: '0102018c-ses-delivered', destination: ['x@example.com'] } }))).status).toBe(204);
    expect(await outboxOver(db.database.knex).find(delivered)).toMatchObject({ deliveryStatus: 'delivery' });

    const bounced = await sentEmail('0102018c-ses-bounced');
    const response = await post(notification({ eventType: 'Bounce', mail: { messageId: '0102018c-ses-bounced' }, bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail' } }, {}));
    expect(response.status).toBe(204);
    expect(await outboxOver(db.database.knex).find(bounced)).toMatchObject({ deliveryStatus: 'bounce' });
    const log = await outboxOver(db.database.knex).attempts(bounced);
    expect(log.at(-1)).toMatchObject({ status: 'status', error: 'bounce: Permanent/NoEmail' });
    // Only the bounce is a failure worth an audit record.
    expect(audited).toEqual([{ type: 'notification.failed', outcome: 'failure', actor: { type: 'system' }, details: { provider: 'ses', providerMessageId: '0102018c-ses-bounced', status: 'bounce', reason: 'Permanent/NoEmail' } }]);
  });

  it('accepts SignatureVersion 1 and confirms a subscription', async () => {
    const message = signed({ Type: 'SubscriptionConfirmation', MessageId: 'm1', TopicArn: TOPIC, Message: 'confirm', SubscribeURL: 'https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&Token=t', Token: 't', Timestamp: new Date().toISOString() }, '1');
    expect((await post(message)).status).toBe(204);
    expect(confirmed).toEqual(['https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&Token=t']);
  });

  it('refuses a forged signature, another topic, an altered message and a certificate off the SNS hosts', async () => {
    const id = await sentEmail('0102018c-ses-forged');
    const genuine = notification({ eventType: 'Complaint', mail: { messageId: '0102018c-ses-forged' } });
    const refused = [
      { ...genuine, Signature: Buffer.alloc(256, 1).toString('base64') },
      { ...genuine, Message: JSON.stringify({ eventType: 'Delivery', mail: { messageId: '0102018c-ses-forged' } }) },
      notification({ eventType: 'Complaint', mail: { messageId: '0102018c-ses-forged' } }, { TopicArn: 'arn:aws:sns:eu-central-1:999999999999:other' }),
      { ...genuine, SigningCertURL: 'https://attacker.example/cert.pem' },
      { ...genuine, SigningCertURL: 'http://sns.eu-central-1.amazonaws.com/cert.pem' },
      { ...genuine, SignatureVersion: '3' },
    ];
    for (const message of refused) {
      const response = await post(message);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await outboxOver(db.database.knex).find(id))?.deliveryStatus).toBeUndefined();
  });

  it('answers malformed bodies with 400, never 500', async () => {
    expect((await post('not json')).status).toBe(400);
    expect((await post({ Type: 'Notification' })).status).toBe(400);
    expect((await post(notification({ not: 'an ses event' }))).status).toBe(400);
    expect((await post(signed({ Type: 'Notification', MessageId: 'x', TopicArn: TOPIC, Message: 'not json', Timestamp: new Date().toISOString() }))).status).toBe(400);
    expect((await post('[1,2,3]')).status).toBe(400);
  });
});
