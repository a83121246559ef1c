/**
 * The audit chain: the buffered trail (its queue watched by metrics), the operations jobs, the CLI
 * and the admin API call, and the trail everything else records to, which also offers each event
 * to the webhook subscriptions and counts sign-in outcomes for /metrics.
 */
import type { Config } from '../../../config/loader.js';
import type { Logger } from '../../shared/logger.js';
import {
  applyAuditRetention,
  eventOfRecord,
  createBufferedAuditTrail,
  exportAuditLines,
  lastVerification,
  searchAudit,
  verifyAndRecord,
  verifyAuditChain,
  type Acting,
  type AuditEventType,
  type AuditFilter,
  type AuditPage,
  type AuditRecord,
  type AuditStore,
  type AuditTrail,
  type BufferedAuditTrail,
  type CheckpointSigner,
  type LastVerification,
  type RetentionResult,
  type VerificationChannel,
  type VerifyResult,
} from '../../modules/compliance/index.js';
import type { WebhookDispatcher } from '../../modules/webhooks/index.js';
import { systemClock } from '../../shared/clock.js';
import type { LoginOutcome, Metrics } from '../../shared/metrics.js';

export interface AuditCompliance {
  trail: BufferedAuditTrail;
  /** Walks the chain (VerifyResult), recording nothing. */
  verify(): Promise<VerifyResult>;
  /** Walks the chain and records the outcome in it (audit.chain.verified), naming who asked and through what. */
  verifyRecorded(by: Acting, via: VerificationChannel): Promise<VerifyResult>;
  /** The newest verification recorded by any process; undefined when the trail keeps none. */
  lastVerification(): Promise<LastVerification | undefined>;
  /** The sequence of the newest record in the chain (0 when empty). */
  headSeq(): Promise<number>;
  applyRetention(): Promise<RetentionResult>;
  search(filter: AuditFilter, page: { cursor?: string; limit: number }): Promise<AuditPage>;
  exportLines(filter: AuditFilter): AsyncGenerator<string>;
}

// A queue whose oldest event waited this long is stalled: many flush intervals without progress,
// yet longer than a database fail-over, so a short blip does not take the replica out of rotation.
const MIN_STALL_MS = 30_000;
const STALL_INTERVALS = 20;

// Per retention run: bounded batches so one run never holds its lock for long; the next run goes on.
const RETENTION_MAX_BATCHES = 20;

/** @param deps.onAppended sees the records each append wrote, after it committed (webhooks are fed from it). */
export function createAuditCompliance(deps: {
  store: AuditStore;
  signer: CheckpointSigner;
  logger: Logger;
  metrics: Metrics;
  config: Config;
  onAppended?: (records: AuditRecord[]) => Promise<void>;
}): AuditCompliance {
  const { store, signer, logger, metrics, config } = deps;
  const trail = createBufferedAuditTrail(
    {
      store,
      clock: systemClock,
      log: logger,
      observer: { dropped: (count) => metrics.auditDropped(count), flushFailed: () => metrics.auditFlushFailed(), quarantined: () => metrics.auditQuarantined() },
      ...(deps.onAppended ? { onAppended: deps.onAppended } : {}),
    },
    {
      batchSize: config.audit.batchSize,
      maxQueue: config.audit.maxQueue,
      flushIntervalMs: config.audit.flushIntervalMs,
      stallAfterMs: Math.max(MIN_STALL_MS, STALL_INTERVALS * config.audit.flushIntervalMs),
    },
  );
  metrics.watchAuditStalled(trail.stalled);
  // A gauge read at scrape time; the trail needs metrics first, so it is registered, not passed in.
  metrics.watchAuditQueue(trail.depth);
  return {
    trail,
    verify: () => verifyAuditChain({ store, signer }),
    async verifyRecorded(by, via) {
      const { result, records } = await verifyAndRecord({ store, signer, clock: systemClock }, by, via);
      // Appended outside the queue, so webhooks hear of it here, as they do of every durable append.
      await deps.onAppended?.(records);
      return result;
    },
    lastVerification: () => lastVerification({ store }),
    headSeq: async () => (await store.head()).seq,
    applyRetention: () =>
      applyAuditRetention(
        { store, signer, clock: systemClock },
        { retentionSeconds: config.audit.retentionDays * 86_400, batchSize: config.purge.batchSize, maxBatches: RETENTION_MAX_BATCHES },
      ),
    search: (filter, page) => searchAudit({ store }, filter, page),
    exportLines: (filter) => exportAuditLines({ store }, filter),
  };
}

/**
 * Webhook dispatch fed from the durable audit append: called with the records each append
 * wrote, after the chain committed them, so a subscriber never hears of an event the chain does
 * not hold. A dispatch failure is logged, never thrown: the audited action already happened.
 */
export function webhooksFromAppend(webhooks: WebhookDispatcher, logger: Logger): (records: AuditRecord[]) => Promise<void> {
  return async (records) => {
    for (const record of records) {
      try {
        await webhooks.dispatch(eventOfRecord(record));
      } catch (error) {
        logger.warn({ audit: { type: record.type }, err: { type: (error as Error).name, message: (error as Error).message } }, 'webhook dispatch failed');
      }
    }
  };
}

const OUTCOME_OF: Partial<Record<AuditEventType, LoginOutcome>> = {
  'auth.login.success': 'success',
  'auth.login.failure': 'failure',
  'auth.login.throttled': 'throttled',
  'auth.lockout': 'locked',
  'auth.mfa.challenge': 'mfa_required',
  'auth.mfa.success': 'mfa_success',
  'auth.mfa.failure': 'mfa_failure',
};

/**
 * Sign-in outcomes on /metrics, derived from the audit events the sign-in steps already record
 * (one source of truth: a step that audits is counted, and nothing is counted that was not audited).
 */
export function countingSignIns(audit: AuditTrail, metrics: Pick<Metrics, 'loginAttempt'>): AuditTrail {
  return {
    async record(event) {
      const outcome = OUTCOME_OF[event.type];
      if (outcome) metrics.loginAttempt(outcome);
      await audit.record(event);
    },
  };
}

/** The chain's operations and the trail the rest of the server records to. */
export function buildAudit(deps: { stores: { audit: { store: AuditStore; signer: CheckpointSigner } }; webhooks: WebhookDispatcher; logger: Logger; metrics: Metrics; config: Config }) {
  const compliance = createAuditCompliance({ ...deps.stores.audit, logger: deps.logger, metrics: deps.metrics, config: deps.config, onAppended: webhooksFromAppend(deps.webhooks, deps.logger) });
  return {
    compliance,
    trail: countingSignIns(compliance.trail, deps.metrics),
  } as const;
}
