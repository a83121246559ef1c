/**
 * The audit trail as the rest of the server sees it: `record` sanitizes the event, stamps its
 * time and request id, and queues it in memory; a flush appends queued records to the chain in
 * small batches (one transaction and one head lock per batch, not per event), on an interval,
 * when a batch is full, and on shutdown.
 *
 * Why buffer: token issuance runs thousands of times a second and every issuance is an event.
 * A synchronous append would put a transaction holding the one chain-wide lock on every token
 * request, serializing all providers behind it.
 *
 * What that costs: events still in the queue when the process dies without a graceful shutdown
 * (SIGKILL, OOM, power loss) are lost — at most the flush interval's worth, bounded by the queue
 * size. If the database is unreachable for long enough that the queue fills, further events are
 * dropped: that is logged at error level and counted (`audit_events_dropped_total`), because
 * blocking or failing sign-ins and token requests on an audit outage would turn it into a full
 * outage. The chain itself stays consistent either way: nothing half-written ever enters it.
 */
import type { Clock } from '../../../shared/clock.js';
import { currentRequestId } from '../../../shared/request-scope.js';
import type { AuditEvent } from '../domain/audit-event.js';
import type { PendingRecord } from '../domain/audit-record.js';
import { sanitizeEvent } from '../domain/sanitize.js';
import type { AuditLog, AuditQueueObserver, AuditStore, AuditTrail } from '../ports.js';
import { linkRecords } from './chain.js';

export interface AuditQueueOptions {
  /** Records per append transaction. */
  batchSize: number;
  /** Records held in memory at most; beyond, new events are dropped (and counted). */
  maxQueue: number;
  flushIntervalMs: number;
}

export interface BufferedAuditTrail extends AuditTrail {
  /** Resolves when everything queued before (and during) the call is stored, or a batch failed. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left; logs what could not be stored. */
  close(): Promise<void>;
  depth(): number;
}

export interface BufferedTrailDeps {
  store: AuditStore;
  clock: Clock;
  log: AuditLog;
  observer: AuditQueueObserver;
}

export function createBufferedAuditTrail(deps: BufferedTrailDeps, options: AuditQueueOptions): BufferedAuditTrail {
  const queue: PendingRecord[] = [];
  let flushing: Promise<void> | undefined;
  let droppedSinceReport = 0;

  const drop = (count: number) => {
    if (count <= 0) return;
    // The first drop of an episode is logged at once; the rest are summed up at the next tick.
    if (droppedSinceReport === 0) deps.log.error({ queued: queue.length, maxQueue: options.maxQueue }, 'audit queue full: dropping audit events');
    droppedSinceReport += count;
    deps.observer.dropped(count);
  };

  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue.splice(0, options.batchSize);
      try {
        await deps.store.append((head) => linkRecords(head, batch));
      } catch (error) {
        // Back at the front, in order, for the next tick; what no longer fits is dropped.
        queue.unshift(...batch);
        drop(queue.length > options.maxQueue ? queue.splice(options.maxQueue).length : 0);
        deps.observer.flushFailed();
        deps.log.error({ err: { type: (error as Error)?.name, message: (error as Error)?.message }, queued: queue.length }, 'audit flush failed; retrying at the next interval');
        return;
      }
    }
  }

  const flush = (): Promise<void> => {
    flushing ??= drain().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  const timer = setInterval(() => {
    if (droppedSinceReport) {
      deps.log.error({ dropped: droppedSinceReport }, 'audit events were dropped: the audit queue was full');
      droppedSinceReport = 0;
    }
    if (queue.length) void flush();
  }, options.flushIntervalMs);
  timer.unref();

  return {
    record(event: AuditEvent) {
      const pending = sanitizeEvent(event, deps.clock.now());
      if (pending.requestId === undefined) {
        const requestId = currentRequestId();
        if (requestId) pending.requestId = requestId;
      }
      if (queue.length >= options.maxQueue) drop(1);
      else {
        queue.push(pending);
        if (queue.length >= options.batchSize) void flush();
      }
      return Promise.resolve();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      if (queue.length) await flush();
      if (queue.length) deps.log.error({ lost: queue.length }, 'audit events could not be stored before shutdown');
      if (droppedSinceReport) deps.log.error({ dropped: droppedSinceReport }, 'audit events were dropped: the audit queue was full');
    },
    depth: () => queue.length,
  };
}
