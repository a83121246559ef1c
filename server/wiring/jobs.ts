/**
 * Stage 5: background work of a running server: the purge of expired rows, the signing-key
 * refresh, audit retention, and the outbox worker. `start` runs them; the stop it returns ends them
 * (letting the delivery round in flight finish, so its leases are settled rather than left to expire).
 */
import type { Config } from '../../config/loader.js';
import { purgeFinishedFlows } from '../../adapters/db/flows-repository.js';
import { purgeExpired } from '../../adapters/oidc/sql-store.js';
import { describeError, type Logger } from '../shared/logger.js';
import type { AuditCompliance } from './modules/audit.js';
import type { Delivery } from './modules/delivery.js';
import type { ProviderHolder } from './provider.js';
import type { Stores } from './stores.js';
import { DEFAULT_PURGE_ROUNDS, purgeInBatches } from '../shared/purge.js';
import { systemClock } from '../shared/clock.js';

export function buildJobs(deps: {
  config: Config;
  logger: Logger;
  stores: Pick<Stores, 'database' | 'federation' | 'sessionDevices'>;
  delivery: Pick<Delivery, 'worker' | 'purgeSettled'>;
  provider: Pick<ProviderHolder, 'refresh'>;
  compliance: Pick<AuditCompliance, 'applyRetention'>;
}) {
  const { config, logger, stores, delivery } = deps;
  const { knex } = stores.database;
  const batch = config.purge.batchSize;

  /** Deletes expired provider records, settled messages, finished flows, stale federation requests and the device rows of expired sessions. @returns how many rows. */
  const purge = async (): Promise<number> =>
    (await purgeExpired(knex, batch)) + (await delivery.purgeSettled(batch)) + (await purgeFinishedFlows(knex, batch)) + (await purgeInBatches((limit) => stores.federation.requests.purge(systemClock.now(), limit), { batchSize: batch, maxBatches: DEFAULT_PURGE_ROUNDS })).deleted +
    (await purgeInBatches((limit) => stores.sessionDevices.purgeExpired(systemClock.now(), limit), { batchSize: batch, maxBatches: DEFAULT_PURGE_ROUNDS })).deleted;

  const run = (name: string, job: () => Promise<unknown>) => async () => {
    try {
      const result = await job();
      if (result) logger.debug({ job: name, result }, 'background job done');
    } catch (error) {
      logger.warn({ job: name, err: describeError(error) }, 'background job failed');
    }
  };

  return {
    purge,
    /** Starts the timers (and the outbox worker when OUTBOX_ENABLED). @returns what stops them all. */
    start(): () => Promise<void> {
      const timers = [
        setInterval(run('purge', purge), config.purge.intervalSeconds * 1000),
        setInterval(run('keys', deps.provider.refresh), config.keyRefreshInterval * 1000),
        setInterval(run('audit-retention', deps.compliance.applyRetention), config.audit.retentionIntervalSeconds * 1000),
      ];
      for (const timer of timers) timer.unref();
      if (config.delivery.outbox.enabled) delivery.worker.start();
      return async () => {
        timers.forEach(clearInterval);
        await delivery.worker.stop();
      };
    },
  } as const;
}

export type Jobs = ReturnType<typeof buildJobs>;
