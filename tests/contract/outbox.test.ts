/**
 * The Outbox port against every SQL database: a message added is claimed once (a lease, an
 * attempt counted, the payload opened again), settled only under its own lease, retried after
 * its delay, requeued once settled, joined to a caller's transaction (rolled back: gone), listed
 * per subscription, counted as depth, and purged once settled.
 */
import { expect, it } from 'vitest';
import { createUnitOfWork } from '../../adapters/db/unit-of-work.js';
import type { ClaimedMessage, NewOutboxMessage } from '../../server/modules/notifications/index.js';
import { outboxOver } from '../helpers/outbox.js';
import { onEveryDatabase } from '../helpers/stores.js';

const message = (topic: string, extra: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({ kind: 'email', topic, payload: { to: 'ann@example.com', secret: `s-${topic}` }, maxAttempts: 3, ...extra });
const delivered = { status: 'delivered' as const, receipt: { provider: 'smtp', providerMessageId: 'pm-1', responseStatus: 250 }, durationMs: 12.4 };

onEveryDatabase('outbox port', (database) => {
  const outbox = () => outboxOver(database().knex);
  /** Settles whatever else is due, so each test sees only its own messages. */
  const drain = async () => {
    for (const claimed of await outbox().claim(100, 60_000)) await outbox().settle(claimed, delivered);
  };

  it('claims a message once, with its payload, and settles it only under its own lease', async () => {
    await drain();
    const id = await outbox().add(message('verify-email'));
    expect(await database().knex('outbox_messages').where({ id }).first('payload_sealed').then((r) => JSON.stringify(r))).not.toContain('s-verify-email');
    expect(await outbox().find(id)).toMatchObject({ id, kind: 'email', topic: 'verify-email', status: 'pending', attempts: 0, maxAttempts: 3 });
    const depth = await outbox().depth();
    expect(depth).toBeGreaterThanOrEqual(1);
    const [first, second] = await Promise.all([outbox().claim(10, 60_000), outbox().claim(10, 60_000)]);
    const claims = [...first!, ...second!].filter((m) => m.id === id);
    expect(claims).toHaveLength(1);
    const claimed = claims[0]!;
    expect(claimed).toMatchObject({ id, kind: 'email', topic: 'verify-email', attempt: 1, maxAttempts: 3, payload: { to: 'ann@example.com', secret: 's-verify-email' } });
    expect((await outbox().find(id))?.status).toBe('processing');
    const forged: ClaimedMessage = { ...claimed, leaseToken: 'not-the-lease' };
    expect(await outbox().settle(forged, delivered)).toBe(false);
    expect(await outbox().settle(claimed, delivered)).toBe(true);
    expect(await outbox().settle(claimed, delivered)).toBe(false);
    expect(await outbox().find(id)).toMatchObject({ status: 'delivered', provider: 'smtp', providerMessageId: 'pm-1', attempts: 1 });
    expect((await outbox().find(id))?.deliveredAt).toBeInstanceOf(Date);
    expect(await outbox().attempts(id)).toEqual([expect.objectContaining({ attempt: 1, provider: 'smtp', providerMessageId: 'pm-1', status: 'delivered', responseStatus: 250, durationMs: 12, error: undefined })]);
    expect(await outbox().depth()).toBe(depth - 1);
  });

  it('retries after the delay, dead-letters, and requeues a settled message with a fresh budget', async () => {
    await drain();
    const id = await outbox().add(message('reset-password'));
    const [claimed] = await outbox().claim(10, 60_000);
    expect(await outbox().settle(claimed!, { status: 'retry', delayMs: 60_000, provider: 'smtp', responseStatus: 451, error: 'try later', durationMs: 5 })).toBe(true);
    expect(await outbox().find(id)).toMatchObject({ status: 'pending', attempts: 1, lastError: 'try later' });
    // Not due for a minute: nothing to claim.
    expect((await outbox().claim(10, 60_000)).map((m) => m.id)).not.toContain(id);
    expect(await outbox().requeue(id)).toBe(false);
    await database().knex('outbox_messages').where({ id }).update({ next_attempt_at: database().knex.raw("now() - interval '1 second'") });
    const [again] = await outbox().claim(10, 60_000);
    expect(again).toMatchObject({ id, attempt: 2 });
    expect(await outbox().settle(again!, { status: 'dead', provider: 'smtp', responseStatus: 550, error: 'no such mailbox', durationMs: 5 })).toBe(true);
    expect(await outbox().find(id)).toMatchObject({ status: 'dead', lastError: 'no such mailbox' });
    expect((await outbox().attempts(id)).map((a) => [a.attempt, a.status, a.responseStatus])).toEqual([[1, 'retry', 451], [2, 'dead', 550]]);
    expect(await outbox().requeue(id)).toBe(true);
    expect(await outbox().find(id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await outbox().requeue('no-such-message')).toBe(false);
    await drain();
  });

  it('takes over a message whose lease expired', async () => {
    await drain();
    const id = await outbox().add(message('lease'));
    const [first] = await outbox().claim(10, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [second] = await outbox().claim(10, 60_000);
    expect(second).toMatchObject({ id, attempt: 2 });
    expect(await outbox().settle(first!, delivered)).toBe(false);
    expect(await outbox().settle(second!, delivered)).toBe(true);
  });

  it('writes in a caller\'s transaction: rolled back, the message is gone', async () => {
    const unitOfWork = createUnitOfWork(database().knex);
    let kept = '';
    await unitOfWork.run(async (transaction) => {
      kept = await outbox().add(message('committed'), { transaction });
    });
    let dropped = '';
    await expect(
      unitOfWork.run(async (transaction) => {
        dropped = await outbox().add(message('rolled-back'), { transaction });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outbox().find(kept)).toMatchObject({ topic: 'committed' });
    expect(await outbox().find(dropped)).toBeUndefined();
    await drain();
  });

  it('records a provider\'s later status, lists per subscription newest first, and purges settled messages', async () => {
    await drain();
    await database().knex('webhook_subscriptions').insert({ id: 'sub-1', url: 'https://hooks.example.com/in', event_types: '{*}', secret_sealed: 'sealed' });
    const ids = [];
    for (const topic of ['user.created', 'user.updated']) ids.push(await outbox().add(message(topic, { kind: 'webhook', subscriptionId: 'sub-1' })));
    await database().knex('outbox_messages').where({ id: ids[0]! }).update({ created_at: database().knex.raw("now() - interval '1 minute'") });
    expect((await outbox().listBySubscription('sub-1', 10)).map((m) => m.id)).toEqual([ids[1], ids[0]]);
    expect((await outbox().listBySubscription('sub-1', 1)).map((m) => m.id)).toEqual([ids[1]]);
    await drain();
    await database().knex('outbox_messages').whereIn('id', ids).update({ provider: 'ses', provider_message_id: database().knex.raw("'ses-' || id") });
    expect(await outbox().recordProviderStatus('ses', `ses-${ids[0]}`, 'bounced', 'mailbox full')).toBe(true);
    expect(await outbox().recordProviderStatus('ses', 'ses-unknown', 'delivered')).toBe(false);
    expect((await outbox().find(ids[0]!))?.deliveryStatus).toBe('bounced');
    expect((await outbox().attempts(ids[0]!)).at(-1)).toMatchObject({ status: 'status', provider: 'ses', error: 'bounced: mailbox full' });
    const pending = await outbox().add(message('still-pending'));
    await database().knex('outbox_messages').update({ updated_at: database().knex.raw("now() - interval '2 days'") });
    const before = new Date(Date.now() - 86_400_000);
    const settled = Number((await database().knex('outbox_messages').whereIn('status', ['delivered', 'dead']).count({ n: '*' }).first())!.n);
    expect(settled).toBeGreaterThanOrEqual(2);
    expect(await outbox().purgeSettled(before, 1)).toBe(1);
    expect(await outbox().purgeSettled(before, 1000)).toBe(settled - 1);
    expect(await outbox().find(ids[0]!)).toBeUndefined();
    expect(await outbox().find(pending)).toMatchObject({ status: 'pending' });
    expect(await outbox().purgeSettled(before, 1000)).toBe(0);
  });
});
