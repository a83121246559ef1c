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
 *
 * One bad record never blocks the rest: a batch the store refuses is split in halves until the
 * refused record is alone; that record is set aside (`AuditStore.quarantine`, counted, logged
 * once) and the records after it go on into the chain. Only when even the quarantine fails (the
 * database is unreachable) does the queue wait for the next tick, in order. A queue that has not
 * moved for `stallAfterMs`, or whose last flush failed, is reported as stalled (`/readyz`).
 *
 * `onAppended` sees exactly the records each append wrote, after it committed: what is fed from
 * it (webhooks) follows the durable chain, not the in-memory queue.
 */
import type { Clock } from '../../../shared/clock.js';
import { currentRequestId } from '../../../shared/request-scope.js';
import type { AuditEvent } from '../domain/audit-event.js';
import type { AuditRecord, PendingRecord } from '../domain/audit-record.js';
import { sanitizeEvent } from '../domain/sanitize.js';
import type { AuditLog, AuditQueueObserver, AuditStore, AuditTrail } from '../ports.js';
import { linkRecords } from './chain.js';

export interface AuditQueueOptions {
  /** Records per append transaction. */
  batchSize: number;
  /** Records held in memory at most; beyond, new events are dropped (and counted). */
  maxQueue: number;
  flushIntervalMs: number;
  /** The trail counts as stalled when its oldest queued record waited this long. */
  stallAfterMs: number;
}

export interface BufferedAuditTrail extends AuditTrail {
  /** Resolves when everything queued before (and during) the call is stored, or a batch failed. */
  flush(): Promise<void>;
  /** Stops the timer and flushes what is left; logs what could not be stored. */
  close(): Promise<void>;
  depth(): number;
  /** True while records wait and the last flush failed, or the oldest waited longer than `stallAfterMs`. */
  stalled(): boolean;
}

export interface BufferedTrailDeps {
  store: AuditStore;
  clock: Clock;
  log: AuditLog;
  observer: AuditQueueObserver;
  /** Called with the records an append wrote, after it committed; its failures are logged, never retried. */
  onAppended?: (records: AuditRecord[]) => Promise<void>;
}

function errorFields(error: unknown): { type?: string; message?: string } {
  return { type: (error as Error)?.name, message: (error as Error)?.message };
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

  let lastFlushFailed = false;

  async function appended(records: AuditRecord[]): Promise<void> {
    if (!deps.onAppended || !records.length) return;
    try {
      await deps.onAppended(records);
    } catch (error) {
      deps.log.warn({ err: errorFields(error), records: records.length }, 'audit consumer failed after append');
    }
  }

  /**
   * Stores `batch` in order, halving it around a refused record until that record is alone and
   * can be set aside. @returns how many leading records are settled (stored or set aside); fewer
   * than the batch only when the database took nothing, not even the quarantine.
   */
  async function settle(batch: PendingRecord[]): Promise<number> {
    try {
      await appended(await deps.store.append((head) => linkRecords(head, batch)));
      return batch.length;
    } catch (error) {
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        const first = await settle(batch.slice(0, half));
        return first < half ? first : half + (await settle(batch.slice(half)));
      }
      const record = batch[0]!;
      try {
        await deps.store.quarantine(record, (error as Error)?.message ?? String(error));
      } catch {
        failure = error;
        return 0;
      }
      deps.observer.quarantined();
      deps.log.error({ audit: { type: record.type }, err: errorFields(error) }, 'audit record refused by the store: set aside in audit_quarantine');
      return 1;
    }
  }

  let failure: unknown;

  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue.slice(0, options.batchSize);
      failure = undefined;
      const settled = await settle(batch);
      queue.splice(0, settled);
      if (settled < batch.length) {
        // The database took nothing: the rest stays at the front, in order, for the next tick.
        lastFlushFailed = true;
        drop(queue.length > options.maxQueue ? queue.splice(options.maxQueue).length : 0);
        deps.observer.flushFailed();
        deps.log.error({ err: errorFields(failure), queued: queue.length }, 'audit flush failed; retrying at the next interval');
        return;
      }
      lastFlushFailed = false;
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
    stalled() {
      const oldest = queue[0];
      if (!oldest) return false;
      return lastFlushFailed || deps.clock.now().getTime() - oldest.occurredAt.getTime() > options.stallAfterMs;
    },
  };
}
