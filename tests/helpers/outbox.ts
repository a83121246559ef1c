/** Builds the outbox pieces over a test database the way server/wiring/modules/delivery.ts does, with a fast retry policy. */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { createSecretSealer } from '../../adapters/crypto/envelope.js';
import { createOutboxRepository } from '../../adapters/db/outbox-repository.js';
import { createNotificationTemplates } from '../../adapters/templates/notification-templates.js';
import { createTranslations } from '../../adapters/i18n/i18next-translations.js';
import { createOutboxWorker, type OutboxHandler, type OutboxKind, type RetryPolicy, type WorkerLog } from '../../server/modules/notifications/index.js';

export const KEK = randomBytes(32).toString('base64url');

/** Milliseconds, not the production seconds: the schedule's shape is what these tests prove. */
export const FAST_POLICY: RetryPolicy = { baseMs: 40, capMs: 160, maxAttempts: 3 };

export const quietLog: WorkerLog & { lines: string[] } = {
  lines: [],
  info(_details, message) {
    this.lines.push(message);
  },
  warn(_details, message) {
    this.lines.push(message);
  },
};

export function templates() {
  const translations = createTranslations();
  return createNotificationTemplates({ cache: true, translator: (l) => translations.translator(l), productName: 'Example ID' });
}

export function outboxOver(knex: Knex) {
  return createOutboxRepository(knex, createSecretSealer(KEK));
}

export function workerOver(knex: Knex, handlers: Partial<Record<OutboxKind, OutboxHandler>>, policy = FAST_POLICY, leaseMs = 60_000) {
  return createOutboxWorker({ outbox: outboxOver(knex), handlers, policy, log: quietLog }, { batchSize: 10, leaseMs, pollMs: 20 });
}

/** Runs worker rounds until `done` holds or the deadline passes. */
export async function until(done: () => Promise<boolean>, round: () => Promise<unknown>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await round();
    await new Promise((r) => setTimeout(r, 15));
  }
}
