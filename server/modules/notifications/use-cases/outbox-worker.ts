/**
 * Delivers outbox messages: claims a batch under a lease, delivers each (concurrently, so every
 * message starts right after its lease begins), then records the outcome fenced by the lease
 * token. Failures retry with capped, jittered backoff; a permanent failure or the last attempt
 * dead-letters the message. Safe on every replica: claims use FOR UPDATE SKIP LOCKED. With tracing
 * on, each message's attempt is a trace of its own (`outbox.deliver`): the outbound request, the
 * settlement's queries and the delivery's log line share its trace id.
 */
import type { AuditEvent, AuditTrail } from '../../compliance/index.js';
import { afterFailure, retryDelayMs, type RetryPolicy } from '../domain/backoff.js';
import { DeliveryError, sanitizeError } from '../domain/delivery.js';
import type { ClaimedMessage, OutboxKind } from '../domain/outbox.js';
import type { Outbox, OutboxHandler, Settlement } from '../ports.js';
import type { OutboxSample } from '../../../shared/metrics.js';
import { inSpan } from '../../../shared/tracing.js';

export interface WorkerLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface OutboxWorkerDeps {
  outbox: Outbox;
  handlers: Partial<Record<OutboxKind, OutboxHandler>>;
  policy: RetryPolicy;
  log: WorkerLog;
  /** Email and SMS outcomes are audited; webhook deliveries are not (a webhook on notification events would feed itself), nor tasks (they audit what they do). */
  audit?: AuditTrail;
  /** Counts every settled attempt with its duration (delivery latency and webhook failures on /metrics). */
  observe?: (sample: OutboxSample) => void;
  random?: () => number;
  now?: () => number;
}

export interface OutboxWorkerOptions {
  batchSize: number;
  leaseMs: number;
  pollMs: number;
}

export interface OutboxWorker {
  /** One claim-and-deliver round. @returns how many messages it settled. */
  runOnce(): Promise<number>;
  start(): void;
  /** Stops polling and waits for the round in flight, so no lease is abandoned on a clean shutdown. */
  stop(): Promise<void>;
}

function failure(error: unknown): { retryable: boolean; provider: string; responseStatus?: number; message: string } {
  if (error instanceof DeliveryError) return { retryable: error.retryable, provider: error.provider, responseStatus: error.responseStatus, message: error.message };
  // Unknown errors are treated as transient: the attempt budget still bounds them.
  return { retryable: true, provider: 'unknown', message: error instanceof Error ? `${error.name}: ${error.message}` : 'unexpected failure' };
}

async function attempt(deps: OutboxWorkerDeps, message: ClaimedMessage): Promise<Settlement> {
  const now = deps.now ?? Date.now;
  const started = now();
  const handler = deps.handlers[message.kind];
  if (message.attempt > message.maxAttempts) {
    // Claimed again after a lease expired on the final attempt (a worker died mid-delivery).
    return { status: 'dead', provider: 'outbox', error: 'lease expired during the final attempt', durationMs: 0 };
  }
  try {
    if (!handler) throw new DeliveryError(`no handler for ${message.kind} messages`, false, 'outbox');
    const receipt = await handler.deliver(message);
    return { status: 'delivered', receipt, durationMs: now() - started };
  } catch (error) {
    const { retryable, provider, responseStatus, message: text } = failure(error);
    const base = { provider, responseStatus, error: sanitizeError(text), durationMs: now() - started };
    return afterFailure(message.attempt, deps.policy, retryable) === 'retry'
      ? { status: 'retry', delayMs: retryDelayMs(message.attempt, deps.policy, deps.random ?? Math.random), ...base }
      : { status: 'dead', ...base };
  }
}

function auditEvent(message: ClaimedMessage, settlement: Settlement): AuditEvent {
  const type = settlement.status === 'delivered' ? 'notification.delivered' : settlement.status === 'dead' ? 'notification.dead_lettered' : 'notification.failed';
  const provider = settlement.status === 'delivered' ? settlement.receipt.provider : settlement.provider;
  return {
    type,
    outcome: settlement.status === 'delivered' ? 'success' : 'failure',
    actor: { type: 'system' },
    subject: { type: 'message', id: message.id },
    details: { channel: message.kind, template: message.topic, attempt: message.attempt, provider },
  };
}

export function createOutboxWorker(deps: OutboxWorkerDeps, options: OutboxWorkerOptions): OutboxWorker {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = true;

  async function settle(message: ClaimedMessage): Promise<void> {
    const settlement = await attempt(deps, message);
    deps.observe?.({ kind: message.kind, status: settlement.status, seconds: settlement.durationMs / 1000 });
    const kept = await deps.outbox.settle(message, settlement);
    if (!kept) {
      deps.log.warn({ outbox: { id: message.id, kind: message.kind, attempt: message.attempt } }, 'outbox lease lost before the outcome was recorded');
      return;
    }
    const details = { outbox: { id: message.id, kind: message.kind, topic: message.topic, attempt: message.attempt, status: settlement.status } };
    if (settlement.status === 'delivered') deps.log.info(details, 'outbox message delivered');
    else deps.log.warn({ ...details, error: settlement.error }, settlement.status === 'dead' ? 'outbox message dead-lettered' : 'outbox delivery failed; will retry');
    if (deps.audit && (message.kind === 'email' || message.kind === 'sms' || message.kind === 'backchannel_logout')) await deps.audit.record(auditEvent(message, settlement));
  }

  async function runOnce(): Promise<number> {
    const claimed = await deps.outbox.claim(options.batchSize, options.leaseMs);
    await Promise.all(claimed.map((message) => inSpan('outbox.deliver', () => settle(message)).catch((error) => deps.log.warn({ outbox: { id: message.id }, error: sanitizeError(String(error)) }, 'outbox settle failed'))));
    return claimed.length;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().catch((error) => {
        deps.log.warn({ error: sanitizeError(String(error)) }, 'outbox round failed');
        return 0;
      });
      void running.then((count) => {
        running = undefined;
        // A full batch suggests more is waiting: go again at once instead of after a poll interval.
        schedule(count === options.batchSize ? 0 : options.pollMs);
      });
    }, delayMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
