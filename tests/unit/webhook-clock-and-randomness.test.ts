/** The webhook use cases take time and randomness through ports: pinned here, they show in what is queued and sent. */
import { describe, expect, it } from 'vitest';
import type { NewOutboxMessage } from '../../server/modules/notifications/index.js';
import { createWebhookDispatcher, webhookHandler } from '../../server/modules/webhooks/index.js';

const clock = { now: () => new Date('2026-05-04T03:02:01Z') };
const subscription = { id: 'sub-1', url: 'https://hooks.example/x', description: '', eventTypes: ['auth.lockout'], active: true, version: 1, createdAt: clock.now(), updatedAt: clock.now() };

describe('webhook clock and randomness ports', () => {
  it('the dispatcher stamps the body with the clock and names the delivery with the random uuid', async () => {
    const added: NewOutboxMessage[] = [];
    const dispatcher = createWebhookDispatcher({
      subscriptions: { subscribedTo: async () => [subscription] },
      outbox: { add: async (message) => (added.push(message), 'm1') },
      maxAttempts: 3,
      clock,
      random: { uuid: () => '00000000-0000-4000-8000-000000000001' },
    });
    expect(await dispatcher.dispatch({ type: 'auth.lockout', outcome: 'failure', actor: { type: 'anonymous' } })).toBe(1);
    expect(added[0]!.payload).toMatchObject({ webhookId: 'msg_00000000000040008000000000000001', subscriptionId: 'sub-1' });
    expect(JSON.parse((added[0]!.payload as { body: string }).body)).toMatchObject({ timestamp: '2026-05-04T03:02:01.000Z' });
  });

  it('the handler signs with the clock’s time', async () => {
    const sent: number[] = [];
    const handler = webhookHandler({
      subscriptions: { find: async () => subscription, secretOf: async () => 'whsec_x' },
      sender: { send: async (request) => (sent.push(request.timestamp), { provider: 'webhook' }) },
      clock,
    });
    await handler.deliver({ id: 'm1', kind: 'webhook', topic: 'auth.lockout', payload: { webhookId: 'msg_1', subscriptionId: 'sub-1', body: '{}' }, subscriptionId: 'sub-1', attempt: 1, maxAttempts: 3, leaseToken: 't' });
    expect(sent).toEqual([Math.floor(clock.now().getTime() / 1000)]);
  });
});
