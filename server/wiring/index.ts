/**
 * The composition root, read top to bottom in the order things are built. Each stage receives
 * what the earlier ones returned; nothing is patched afterwards, and no stage needs a later one:
 *
 *   stores → outbound delivery → audit trail (webhooks, sign-in counts) → outbox worker
 *          → provider holder → sign-in, self-service, administration → HTTP dependencies → jobs
 *
 * main.ts / start.ts run the result; the CLI (scripts/cli/context.ts) builds the same container.
 */
import type { Redis } from 'ioredis';
import type { Provider } from 'oidc-provider';
import type { Environment } from '../../config/boot.js';
import type { Config } from '../../config/loader.js';
import type { SecretSealer } from '../../adapters/crypto/envelope.js';
import type { Database } from '../../adapters/db/knex.js';
import { createPrometheusMetrics, type PrometheusMetrics } from '../../adapters/metrics/prometheus.js';
import type { Logger } from '../shared/logger.js';
import { createTranslations } from '../../adapters/i18n/i18next-translations.js';
import { createRenderer } from '../../adapters/views/eta-renderer.js';
import { brandAssets } from './branding.js';
import type { Renderer } from '../shared/rendering.js';
import type { Lockout, LockoutSchedules, MfaService } from '../modules/auth/index.js';
import type { ApplySeedDeps } from '../modules/bootstrap/index.js';
import type { AuditTrail } from '../modules/compliance/index.js';
import type { LinkedIdentities } from '../modules/federation/index.js';
import type { SigningKeyDeps, RotationResult } from '../modules/keys/index.js';
import type { Notifier } from '../modules/notifications/index.js';
import type { CredentialRepository, PasswordHasher, UserRepository } from '../modules/users/index.js';
import { buildHttp, type HttpDeps } from './http.js';
import { buildJobs, type Jobs } from './jobs.js';
import { buildAdministration } from './modules/administration.js';
import { buildAudit, type AuditCompliance } from './modules/audit.js';
import { buildAuth } from './modules/auth.js';
import { buildOutboxWorker, buildOutbound, type Delivery } from './modules/delivery.js';
import { buildSelfService } from './modules/self-service.js';
import { createProviderHolder } from './provider.js';
import { openStores, resolved } from './stores.js';
import { selfServiceTaskHandler } from '../modules/self-service/index.js';

export interface Container {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly redis: Redis | undefined;
  /** Seals secrets at rest (the CLI binds the seed tables to a transaction with it). */
  readonly sealer: SecretSealer;
  readonly metrics: PrometheusMetrics;
  readonly renderer: Renderer;
  /** The trail everything records to (also feeds webhooks and sign-in metrics). */
  readonly audit: AuditTrail;
  /** The audit chain's operations: flush, verify, retention, search and export. */
  readonly compliance: AuditCompliance;
  readonly notifier: Notifier;
  /** Outbox, channels, worker, webhooks (server/wiring/modules/delivery.ts). */
  readonly delivery: Delivery;
  readonly users: UserRepository;
  readonly credentials: CredentialRepository;
  readonly hasher: PasswordHasher;
  readonly keys: SigningKeyDeps;
  /** Second factors, enrolment, trusted devices. */
  readonly mfa: MfaService;
  readonly lockout: Lockout;
  /** Upstream identities linked to users (federation). */
  readonly linkedIdentities: LinkedIdentities;
  readonly seedDeps: ApplySeedDeps;
  readonly provider: () => Provider;
  /** Reloads signing keys; swaps in a new provider when the published set changed. */
  readonly refreshKeys: () => Promise<boolean>;
  readonly rotateKeys: () => Promise<RotationResult>;
  readonly purge: () => Promise<number>;
  /** What buildApp needs (server/wiring/http.ts). */
  readonly http: HttpDeps;
  readonly jobs: Jobs;
  close(): Promise<void>;
}

export interface ContainerOptions {
  /** Apply pending migrations (development); otherwise refuse to start on a stale schema. */
  migrate: boolean;
  /** The environment the configuration was read from (config/boot.ts), for seeds' `*_env` names. */
  env: Environment;
  /** Replaces the notifier (tests capture message intents with it). */
  notifier?: Notifier;
  /** Shorter lockout backoff schedules (tests; default: the production ones). */
  lockoutSchedules?: LockoutSchedules;
}

/** @param config with cookie keys and key-encryption key filled in (config/boot.ts). */
export async function buildContainer(config: Config, logger: Logger, options: ContainerOptions): Promise<Container> {
  const settings = resolved(config);
  const stores = await openStores(settings, logger, { migrate: options.migrate });

  const metrics = createPrometheusMetrics({ processMetrics: config.metrics.enabled });
  const translations = createTranslations();
  // Templates are re-read on every render only in development, where they are being edited.
  const brand = brandAssets(config);
  const renderer = createRenderer({ cache: config.env !== 'development', productName: config.brandName, translations, logoUrl: config.brandLogoUrl, stylesheets: brand.stylesheets });

  const outbound = buildOutbound({ config, logger, stores, translations, metrics });
  const audit = buildAudit({ config, logger, stores, webhooks: outbound.webhooks, metrics });
  // Intents go to the outbox; in development without a channel the worker prints them to the log.
  const notifier = options.notifier ?? outbound.notifier;

  const provider = await createProviderHolder({ config, logger, stores, audit: audit.trail, metrics, renderer });

  const auth = buildAuth({ config, stores, audit: audit.trail, notifier, lockoutSchedules: options.lockoutSchedules });
  const selfService = buildSelfService({ config, stores, auth, audit: audit.trail, notifier, outbound, provider });
  // The worker also runs deferred self-service work (a reset request's lookup) with those services.
  const delivery = buildOutboxWorker({ config, logger, outbound, audit: audit.trail, metrics, tasks: selfServiceTaskHandler(selfService) });
  const administration = buildAdministration({ config, stores, outbound, provider, audit: audit.trail, env: options.env });

  const http = buildHttp({ config: settings, logger, renderer, brand, metrics, stores, audit: audit.trail, compliance: audit.compliance, outbound, provider, auth, selfService, administration });
  const jobs = buildJobs({ config, logger, stores, delivery, provider, compliance: audit.compliance });

  return {
    config,
    logger,
    database: stores.database,
    redis: stores.redis,
    sealer: stores.sealer,
    metrics,
    renderer,
    audit: audit.trail,
    compliance: audit.compliance,
    notifier,
    delivery,
    users: stores.users,
    credentials: stores.credentials,
    hasher: stores.hasher,
    keys: stores.keys,
    mfa: auth.mfa,
    lockout: auth.lockout,
    linkedIdentities: auth.linkedIdentities,
    seedDeps: administration.seed,
    provider: provider.provider,
    refreshKeys: provider.refresh,
    rotateKeys: provider.rotate,
    purge: jobs.purge,
    http,
    jobs,
    async close() {
      await delivery.close();
      await audit.compliance.trail.close();
      await stores.close();
    },
  };
}
