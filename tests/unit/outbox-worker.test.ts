/**
 * The worker's decisions, over an in-memory outbox recording what it is told: unknown errors are
 * retried, a missing handler or a permanent error dead-letters, the retry delay follows the
 * policy, a lost lease is only logged, and stop() waits for the round in flight.
 */
import { describe, expect, it } from 'vitest';
import { createOutboxWorker, DeliveryError, type ClaimedMessage, type Outbox, type OutboxHandler, type Settlement } from '../../server/modules/notifications/index.js';

function fakeOutbox(messages: ClaimedMessage[], keepLease = true) {
  const settled: Array<{ id: string; settlement: Settlement }> = [];
  const outbox = {
    claim: async () => messages.splice(0),
    settle: async (message: ClaimedMessage, settlement: Settlement) => {
      settled.push({ id: message.id, settlement });
      return keepLease;
    },
  } as unknown as Outbox;
  return { outbox, settled };
}

const message = (id: string, kind: ClaimedMessage['kind'] = 'email', attempt = 1): ClaimedMessage => ({ id, kind, topic: 't', payload: {}, subscriptionId: undefined, attempt, maxAttempts: 3, leaseToken: 'l' });
const lines: string[] = [];
const log = { info: (_d: object, m: string) => void lines.push(m), warn: (_d: object, m: string) => void lines.push(m) };
const policy = { baseMs: 1000, capMs: 8000, maxAttempts: 3 };
const handler = (deliver: OutboxHandler['deliver']): OutboxHandler => ({ deliver });

describe('outbox worker', () => {
  it('retries an unexpected error with the policy delay, dead-letters a permanent one, and a kind without handler', async () => {
    const { outbox, settled } = fakeOutbox([message('a'), message('b'), message('c', 'sms')]);
    const worker = createOutboxWorker(
      {
        outbox,
        handlers: {
          email: handler(async (m) => {
            if (m.id === 'a') throw new TypeError('socket hang up at 10.0.0.1 for bob@example.com');
            throw new DeliveryError('550 rejected', false, 'smtp', 550);
          }),
        },
        policy,
        log,
        random: () => 1,
      },
      { batchSize: 10, leaseMs: 60_000, pollMs: 1000 },
    );
    expect(await worker.runOnce()).toBe(3);
    const byId = Object.fromEntries(settled.map((s) => [s.id, s.settlement]));
    expect(byId.a).toMatchObject({ status: 'retry', delayMs: 1000, provider: 'unknown' });
    expect((byId.a as { error: string }).error).not.toContain('bob@example.com');
    expect(byId.b).toMatchObject({ status: 'dead', provider: 'smtp', responseStatus: 550 });
    expect(byId.c).toMatchObject({ status: 'dead', error: 'no handler for sms messages' });
  });

  it('dead-letters the last attempt even when the error is transient', async () => {
    const { outbox, settled } = fakeOutbox([message('z', 'email', 3)]);
    const worker = createOutboxWorker({ outbox, handlers: { email: handler(async () => Promise.reject(new DeliveryError('451', true, 'smtp'))) }, policy, log }, { batchSize: 10, leaseMs: 1, pollMs: 1 });
    await worker.runOnce();
    expect(settled[0]!.settlement.status).toBe('dead');
  });

  it('only logs a lost lease', async () => {
    lines.length = 0;
    const { outbox } = fakeOutbox([message('x')], false);
    const worker = createOutboxWorker({ outbox, handlers: { email: handler(async () => ({ provider: 'log' })) }, policy, log }, { batchSize: 10, leaseMs: 1, pollMs: 1 });
    await worker.runOnce();
    expect(lines).toEqual(['outbox lease lost before the outcome was recorded']);
  });

  it('stop() waits for the delivery in flight', async () => {
    let release!: () => void;
    let begin!: () => void;
    const begun = new Promise<void>((resolve) => (begin = resolve));
    const { outbox, settled } = fakeOutbox([message('slow')]);
    const slow = handler(async () => {
      begin();
      await new Promise<void>((resolve) => (release = resolve));
      return { provider: 'log' };
    });
    const worker = createOutboxWorker({ outbox, handlers: { email: slow }, policy, log }, { batchSize: 10, leaseMs: 60_000, pollMs: 10 });
    worker.start();
    await begun;
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(settled.map((s) => s.settlement.status)).toEqual(['delivered']);
  });
});
