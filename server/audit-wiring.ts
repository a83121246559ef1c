/**
 * Wires the audit chain for the server: the buffered trail (its queue watched by metrics), and
 * the operations jobs, the CLI and the admin API call. Kept out of container.ts, which only lists
 * what it builds.
 */
import type { Config } from '../config/loader.js';
import type { Logger } from './shared/logger.js';
import {
  applyAuditRetention,
  createBufferedAuditTrail,
  exportAuditLines,
  searchAudit,
  verifyAuditChain,
  type AuditFilter,
  type AuditPage,
  type AuditStore,
  type BufferedAuditTrail,
  type CheckpointSigner,
  type RetentionResult,
  type VerifyResult,
} from './modules/compliance/index.js';
import { systemClock } from './shared/clock.js';
import type { Metrics } from './shared/metrics.js';

export interface AuditCompliance {
  trail: BufferedAuditTrail;
  verify(): Promise<VerifyResult>;
  applyRetention(): Promise<RetentionResult>;
  search(filter: AuditFilter, page: { cursor?: string; limit: number }): Promise<AuditPage>;
  exportLines(filter: AuditFilter): AsyncGenerator<string>;
}

// Per retention run: bounded batches so one run never holds its lock for long; the next run goes on.
const RETENTION_MAX_BATCHES = 20;

export function createAuditCompliance(deps: { store: AuditStore; signer: CheckpointSigner; logger: Logger; metrics: Metrics; config: Config }): AuditCompliance {
  const { store, signer, logger, metrics, config } = deps;
  const trail = createBufferedAuditTrail(
    { store, clock: systemClock, log: logger, observer: { dropped: (count) => metrics.auditDropped(count), flushFailed: () => metrics.auditFlushFailed() } },
    { batchSize: config.audit.batchSize, maxQueue: config.audit.maxQueue, flushIntervalMs: config.audit.flushIntervalMs },
  );
  metrics.watchAuditQueue(trail.depth);
  return {
    trail,
    verify: () => verifyAuditChain({ store, signer }),
    applyRetention: () =>
      applyAuditRetention(
        { store, signer, clock: systemClock },
        { retentionSeconds: config.audit.retentionDays * 86_400, batchSize: config.purge.batchSize, maxBatches: RETENTION_MAX_BATCHES },
      ),
    search: (filter, page) => searchAudit({ store }, filter, page),
    exportLines: (filter) => exportAuditLines({ store }, filter),
  };
}
