/**
 * /webhooks: a subscription created over the admin API (secret shown once), an audit event of
 * the admin API itself delivered to a local receiver and verified with `standardwebhooks`, the
 * delivery history with its attempts, replay, SSRF refusals, If-Match on changes.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';
import type { AdminTestContext } from './context.js';

type Subscription = { id: string; url: string; event_types: string[]; active: boolean; secret?: string };
type Delivery = { id: string; event_type: string; status: string; attempts: number };
type DeliveryDetail = Delivery & { attempt_log: Array<{ attempt: number; status: string; response_status?: number }> };

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function webhooksSuite(ctx: () => AdminTestContext) {
  describe('webhooks', () => {
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await startWebhookReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
    });

    it('subscribes, delivers a signed admin event after a 500, shows the history and replays it', async () => {
      const { api, tokens } = ctx();
      const created = await api.call<Subscription>('POST', '/webhooks', { token: tokens.writer, body: { url: receiver.url, description: 'SIEM', event_types: ['admin.role.created'] } });
      expect(created.status).toBe(201);
      const secret = created.body.secret!;
      expect(secret).toMatch(/^whsec_/);
      const read = await api.call<Subscription>('GET', `/webhooks/${created.body.id}`, { token: tokens.reader });
      expect(read.body).not.toHaveProperty('secret');
      expect(read.etag).toBe(created.etag);
      const list = await api.call<{ items: Subscription[] }>('GET', '/webhooks?limit=10', { token: tokens.reader });
      expect(list.body.items.map((s) => s.id)).toContain(created.body.id);

      // An admin change is an audit event; the audit trail hands it to the subscription.
      receiver.script(500);
      const before = receiver.received.length;
      const role = await api.call<{ id: string }>('POST', '/roles', { token: tokens.writer, body: { name: 'webhook-watched' } });
      expect(role.status).toBe(201);
      const history = await eventually(
        () => api.call<{ items: Delivery[] }>('GET', `/webhooks/${created.body.id}/deliveries`, { token: tokens.reader }),
        (r) => r.body.items[0]?.status === 'pending' && r.body.items[0].attempts === 1,
      );
      const deliveryId = history.body.items[0]!.id;
      // The first retry comes after OUTBOX_RETRY_BASE; the test provider sets it to one second.
      const detail = await eventually(
        () => api.call<DeliveryDetail>('GET', `/webhooks/${created.body.id}/deliveries/${deliveryId}`, { token: tokens.reader }),
        (r) => r.body.status === 'delivered',
      );
      expect(detail.body.attempt_log.map((a) => [a.attempt, a.status, a.response_status])).toEqual([
        [1, 'retry', 500],
        [2, 'delivered', 204],
      ]);
      const delivered = receiver.received.slice(before).at(-1)!;
      const payload = new Webhook(secret).verify(delivered.body, delivered.headers) as { type: string; data: { subject: { id: string }; actor: { type: string } } };
      expect(payload).toMatchObject({ type: 'admin.role.created', data: { subject: { id: role.body.id }, actor: { type: 'client' } } });

      const replay = await api.call<Delivery>('POST', `/webhooks/${created.body.id}/deliveries/${deliveryId}/replay`, { token: tokens.writer });
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ id: deliveryId, attempts: 0 });
      await eventually(
        async () => receiver.received.length,
        (n) => n === before + 3,
      );
      expect(receiver.received.at(-1)!.headers['webhook-id']).toBe(delivered.headers['webhook-id']);
      expect((await api.call('POST', `/webhooks/${created.body.id}/deliveries/${created.body.id}/replay`, { token: tokens.writer })).status).toBe(404);
    });

    it('refuses private endpoints and unknown event types, naming the field', async () => {
      const { api, tokens } = ctx();
      // This provider allows 127.0.0.0/8 (WEBHOOK_ALLOWED_NETWORKS) for the local receiver; everything else private stays refused.
      for (const url of ['http://10.0.0.8/hook', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:8080/', 'http://[::ffff:10.0.0.1]/', 'http://192.168.0.10/']) {
        const refused = await api.call<{ errors: Array<{ field: string }> }>('POST', '/webhooks', { token: tokens.writer, body: { url, event_types: ['auth.lockout'] } });
        expect(refused.status).toBe(400);
        expect(refused.body.errors.map((e) => e.field)).toEqual(['body.url']);
      }
      expect((await api.call('POST', '/webhooks', { token: tokens.writer, body: { url: receiver.url, event_types: ['no.such.event'] } })).status).toBe(400);
      expect((await api.call('POST', '/webhooks', { token: tokens.writer, body: { url: receiver.url, event_types: [] } })).status).toBe(400);
      expect((await api.call('POST', '/webhooks', { token: tokens.reader, body: { url: receiver.url, event_types: ['auth.lockout'] } })).status).toBe(403);
      expect((await api.call('GET', '/webhooks/not-a-uuid', { token: tokens.reader })).status).toBe(400);
    });

    it('changes and deletes a subscription with If-Match', async () => {
      const { api, tokens } = ctx();
      const created = await api.call<Subscription>('POST', '/webhooks', { token: tokens.writer, body: { url: receiver.url, event_types: ['auth.lockout'] } });
      expect((await api.call('PATCH', `/webhooks/${created.body.id}`, { token: tokens.writer, body: { active: false } })).status).toBe(428);
      const updated = await api.call<Subscription>('PATCH', `/webhooks/${created.body.id}`, { token: tokens.writer, body: { active: false, event_types: ['auth.lockout', 'keys.rotated'] }, ifMatch: created.etag });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ active: false, event_types: ['auth.lockout', 'keys.rotated'] });
      expect((await api.call('PATCH', `/webhooks/${created.body.id}`, { token: tokens.writer, body: { url: 'http://10.0.0.1/' }, ifMatch: updated.etag })).status).toBe(400);
      expect((await api.call('DELETE', `/webhooks/${created.body.id}`, { token: tokens.writer, ifMatch: created.etag })).status).toBe(412);
      expect((await api.call('DELETE', `/webhooks/${created.body.id}`, { token: tokens.writer, ifMatch: updated.etag })).status).toBe(204);
      expect((await api.call('GET', `/webhooks/${created.body.id}`, { token: tokens.reader })).status).toBe(404);
      expect((await api.call('GET', `/webhooks/${created.body.id}/deliveries`, { token: tokens.reader })).status).toBe(404);
    });
  });
}
