/**
 * Webhooks end to end: a subscription with a sealed whsec_ secret, an audit event dispatched to
 * it through the outbox, a local receiver whose signature check uses the `standardwebhooks`
 * package, retries with the same webhook-id, dead-letter, per-endpoint history and replay, and
 * the SSRF policy applied again at delivery time.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretSealer } from '../../../adapters/crypto/envelope.js';
import { createSubscriptionRepository } from '../../../adapters/db/webhook-subscriptions-repository.js';
import { createEndpointGuard, UnsafeEndpointError, type EndpointGuard } from '../../../adapters/webhooks/endpoint-guard.js';
import { createWebhookSender } from '../../../adapters/webhooks/http-sender.js';
import type { AuditEvent } from '../../../server/modules/compliance/index.js';
import {
  createSubscription,
  createWebhookDispatcher,
  deliveryDetail,
  deliveryHistory,
  replayDelivery,
  updateSubscription,
  webhookHandler,
  type EndpointPolicy,
} from '../../../server/modules/webhooks/index.js';
import { FAST_POLICY, KEK, outboxOver, until, workerOver } from '../../helpers/outbox.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/stores.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import { systemClock } from '../../../server/shared/clock.js';
import { cryptoRandom } from '../../../adapters/crypto/random.js';

let db: TestDatabase;
let receiver: WebhookReceiver;

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await db?.drop();
});

const loopbackAllowed = createEndpointGuard({ allowedNetworks: ['127.0.0.0/8'], requireHttps: false });
const strict = createEndpointGuard({ allowedNetworks: [], requireHttps: false });

function policyOf(guard: EndpointGuard): EndpointPolicy {
  return {
    refusal: (url) =>
      guard.check(url).then(
        () => undefined,
        (error: unknown) => {
          if (error instanceof UnsafeEndpointError) return error.message;
          throw error;
        },
      ),
  };
}

function setup(deliveryGuard: EndpointGuard = loopbackAllowed) {
  const { knex } = db.database;
  const subscriptions = createSubscriptionRepository(knex, createSecretSealer(KEK));
  const outbox = outboxOver(knex);
  const sender = createWebhookSender({ guard: deliveryGuard, timeoutMs: 2_000, userAgent: 'test' });
  const worker = workerOver(knex, { webhook: webhookHandler({ subscriptions, sender, clock: systemClock }) });
  const dispatcher = createWebhookDispatcher({ subscriptions, outbox, maxAttempts: FAST_POLICY.maxAttempts, clock: systemClock, random: cryptoRandom });
  return { knex, subscriptions, outbox, worker, dispatcher, deps: { subscriptions, endpoints: policyOf(loopbackAllowed), random: cryptoRandom } };
}

const event: AuditEvent = {
  type: 'admin.user.disabled',
  outcome: 'success',
  actor: { type: 'user', id: 'admin-1' },
  subject: { type: 'user', id: 'user-42' },
  requestId: 'req-1',
};

describe('webhook delivery', () => {
  it('signs per Standard Webhooks; retries after a 500 with the same webhook-id; keeps the history', async () => {
    const { knex, subscriptions, outbox, worker, dispatcher, deps } = setup();
    const { subscription, secret } = await createSubscription(deps, { url: receiver.url, description: 'ops', eventTypes: ['admin.user.disabled'], active: true });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stored = await knex('webhook_subscriptions').where({ id: subscription.id }).first('secret_sealed');
    expect(stored.secret_sealed).not.toContain(secret.slice(6));

    expect(await dispatcher.dispatch({ ...event, type: 'admin.user.enabled' })).toBe(0);
    expect(await dispatcher.dispatch(event)).toBe(1);
    receiver.script(500);
    const before = receiver.received.length;
    await worker.runOnce();
    const [delivery] = await deliveryHistory({ subscriptions, outbox }, subscription.id);
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, topic: 'admin.user.disabled' });
    await until(async () => (await outbox.find(delivery!.id))?.status === 'delivered', () => worker.runOnce());

    const [first, second] = receiver.received.slice(before);
    expect(first!.headers['webhook-id']).toBe(second!.headers['webhook-id']);
    const payload = new Webhook(secret).verify(second!.body, second!.headers) as { type: string; timestamp: string; data: AuditEvent };
    expect(payload).toMatchObject({ type: 'admin.user.disabled', data: { subject: { type: 'user', id: 'user-42' }, outcome: 'success' } });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(second!.body, second!.headers)).toThrow();

    const detail = await deliveryDetail({ subscriptions, outbox }, subscription.id, delivery!.id);
    expect(detail.attemptLog.map((a) => [a.attempt, a.status, a.responseStatus])).toEqual([
      [1, 'retry', 500],
      [2, 'delivered', 204],
    ]);

    // Replay: queued again with a fresh budget, delivered with the same id and body.
    await replayDelivery({ subscriptions, outbox }, subscription.id, delivery!.id);
    await until(async () => (await outbox.find(delivery!.id))?.status === 'delivered', () => worker.runOnce());
    const replayed = receiver.received.at(-1)!;
    expect(replayed.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(replayed.body).toBe(first!.body);
    expect(new Webhook(secret).verify(replayed.body, replayed.headers)).toBeTruthy();
  });

  it('dead-letters after the last attempt, does not follow redirects, and refuses a replay of a pending delivery', async () => {
    const { subscriptions, outbox, worker, dispatcher, deps } = setup();
    const { subscription } = await createSubscription(deps, { url: receiver.url, description: '', eventTypes: ['auth.lockout'], active: true });
    await dispatcher.dispatch({ ...event, type: 'auth.lockout' });
    const [delivery] = await deliveryHistory({ subscriptions, outbox }, subscription.id);
    await expect(replayDelivery({ subscriptions, outbox }, subscription.id, delivery!.id)).rejects.toMatchObject({ code: 'conflict' });
    receiver.script(302, 500, 500);
    const before = receiver.received.length;
    await until(async () => (await outbox.find(delivery!.id))?.status === 'dead', () => worker.runOnce());
    // Three attempts reached the endpoint; the redirect target never did.
    expect(receiver.received.slice(before)).toHaveLength(3);
    const detail = await deliveryDetail({ subscriptions, outbox }, subscription.id, delivery!.id);
    expect(detail.attemptLog.map((a) => [a.status, a.responseStatus])).toEqual([
      ['retry', 302],
      ['retry', 500],
      ['dead', 500],
    ]);
    expect(detail.attemptLog[0]!.error).toContain('redirects are not followed');
    await expect(deliveryDetail({ subscriptions, outbox }, 'a0000000-0000-4000-8000-000000000000', delivery!.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('sends nothing to a disabled subscription', async () => {
    const { subscriptions, outbox, dispatcher, deps } = setup();
    const { subscription } = await createSubscription(deps, { url: receiver.url, description: '', eventTypes: ['keys.rotated'], active: true });
    await updateSubscription(deps, subscription.id, 'any', { active: false });
    expect(await dispatcher.dispatch({ ...event, type: 'keys.rotated' })).toBe(0);
    expect(await deliveryHistory({ subscriptions, outbox }, subscription.id)).toEqual([]);
  });

  it('checks the endpoint again at delivery time: an address refused now is dead-lettered unsent', async () => {
    const { subscriptions, outbox, dispatcher, deps } = setup();
    const { subscription } = await createSubscription(deps, { url: receiver.url, description: '', eventTypes: ['user.registered'], active: true });
    const strictWorker = setup(strict).worker;
    await dispatcher.dispatch({ ...event, type: 'user.registered' });
    const before = receiver.received.length;
    await strictWorker.runOnce();
    const [delivery] = await deliveryHistory({ subscriptions, outbox }, subscription.id);
    expect(delivery).toMatchObject({ status: 'dead', attempts: 1, lastError: expect.stringContaining('loopback') });
    expect(receiver.received.length).toBe(before);
  });

  it('refuses unsafe endpoints and unknown event types when subscribing', async () => {
    const deps = { subscriptions: setup().subscriptions, endpoints: policyOf(strict), random: cryptoRandom };
    for (const url of ['http://127.0.0.1:8080/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://localhost/x', 'ftp://example.com/x']) {
      await expect(createSubscription(deps, { url, description: '', eventTypes: ['auth.lockout'], active: true })).rejects.toMatchObject({ code: 'invalid_input', details: { fields: [{ field: 'body.url' }] } });
    }
    await expect(createSubscription({ ...deps, endpoints: policyOf(loopbackAllowed) }, { url: receiver.url, description: '', eventTypes: ['no.such.event'], active: true })).rejects.toMatchObject({
      details: { fields: [{ field: 'body.event_types' }] },
    });
  });
});
