/**
 * The audit chain: the buffered trail (its queue watched by metrics), the operations jobs, the CLI
 * and the admin API call, and the trail everything else records to, which also offers each event
 * to the webhook subscriptions and counts sign-in outcomes for /metrics.
 */
import type { Config } from '../../../config/loader.js';
import type { Logger } from '../../shared/logger.js';
import {
  applyAuditRetention,
  createBufferedAuditTrail,
  exportAuditLines,
  searchAudit,
  verifyAuditChain,
  type AuditEventType,
  type AuditFilter,
  type AuditPage,
  type AuditStore,
  type AuditTrail,
  type BufferedAuditTrail,
  type CheckpointSigner,
  type RetentionResult,
  type VerifyResult,
} from '../../modules/compliance/index.js';
import type { WebhookDispatcher } from '../../modules/webhooks/index.js';
import { systemClock } from '../../shared/clock.js';
import type { LoginOutcome, Metrics } from '../../shared/metrics.js';

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
  // A gauge read at scrape time; the trail needs metrics first, so it is registered, not passed in.
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

/**
 * The audit trail with webhook dispatch behind it: every recorded event is offered to the
 * subscriptions. A dispatch failure is logged, never thrown: the audited action already happened.
 */
export function auditWithWebhooks(audit: AuditTrail, webhooks: WebhookDispatcher, logger: Logger): AuditTrail {
  return {
    async record(event) {
      await audit.record(event);
      try {
        await webhooks.dispatch(event);
      } catch (error) {
        logger.warn({ audit: { type: event.type }, err: { type: (error as Error).name, message: (error as Error).message } }, 'webhook dispatch failed');
      }
    },
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
  const compliance = createAuditCompliance({ ...deps.stores.audit, logger: deps.logger, metrics: deps.metrics, config: deps.config });
  return {
    compliance,
    trail: countingSignIns(auditWithWebhooks(compliance.trail, deps.webhooks, deps.logger), deps.metrics),
  } as const;
}
