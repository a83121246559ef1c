/**
 * Wiring of everything that leaves the process: the outbox, the channels chosen by
 * configuration, templates, the worker, webhooks and the provider callbacks' verifiers. Kept
 * apart from container.ts so that file only gains a few lines; like it, this decides nothing.
 */
import type { Metrics } from './shared/metrics.js';
import type { Knex } from 'knex';
import type { Config } from '../config/loader.js';
import { createLogEmailChannel, createLogSmsChannel } from '../adapters/console/log-channel.js';
import type { SecretSealer } from '../adapters/crypto/envelope.js';
import { createOutboxRepository } from '../adapters/db/outbox-repository.js';
import { createUnitOfWork } from '../adapters/db/unit-of-work.js';
import { activeSubscriptions, createSubscriptionRepository } from '../adapters/db/webhook-subscriptions-repository.js';
import { cachedSubscriptions } from '../adapters/db/cached-subscriptions.js';
import { createSesChannel } from '../adapters/aws/ses.js';
import { createSnsChannel } from '../adapters/aws/sns.js';
import { createSnsMessageVerifier, type SnsMessageVerifier } from '../adapters/aws/sns-message.js';
import { createSmtpChannel } from '../adapters/mailer/smtp.js';
import { createNotificationTemplates } from '../adapters/templates/notification-templates.js';
import { createTwilioChannel, verifyTwilioSignature } from '../adapters/twilio/sms.js';
import { createEndpointGuard, UnsafeEndpointError } from '../adapters/webhooks/endpoint-guard.js';
import { createWebhookSender } from '../adapters/webhooks/http-sender.js';
import type { Logger } from './shared/logger.js';
import type { Translations } from './shared/i18n.js';
import type { AuditTrail } from './modules/compliance/index.js';
import type { DeferredTasks } from './modules/self-service/index.js';
import { createOutboxNotifier, createOutboxWorker, messageHandler, type OutboxHandler, type EmailChannel, type Notifier, type Outbox, type OutboxWorker, type SmsChannel, type TemplateRenderer } from './modules/notifications/index.js';
import { createWebhookDispatcher, webhookHandler, type EndpointPolicy, type SubscriptionRepository, type WebhookDispatcher } from './modules/webhooks/index.js';
import type { UnitOfWork } from './shared/unit-of-work.js';
import { DEFAULT_PURGE_ROUNDS, purgeInBatches } from './shared/purge.js';
import { systemClock } from './shared/clock.js';
import { cryptoRandom } from '../adapters/crypto/random.js';

/** The path Twilio posts status callbacks to; the signature covers the full public URL. */
export const TWILIO_CALLBACK_PATH = '/notifications/v1/callbacks/twilio';
export const SES_CALLBACK_PATH = '/notifications/v1/callbacks/ses';

export interface Delivery {
  unitOfWork: UnitOfWork;
  /** Self-service work deferred past the answer (outbox kind `task`). */
  tasks: DeferredTasks;
  outbox: Outbox;
  notifier: Notifier;
  templates: TemplateRenderer;
  worker: OutboxWorker;
  subscriptions: SubscriptionRepository;
  endpoints: EndpointPolicy;
  webhooks: WebhookDispatcher;
  /** Deletes settled messages older than OUTBOX_RETENTION, in bounded batches. @returns how many. */
  purgeSettled(batchSize: number): Promise<number>;
  callbacks: {
    /** Verifies X-Twilio-Signature for a status callback; undefined when Twilio is not the SMS channel. */
    twilio: ((signature: string, params: Record<string, string>) => boolean) | undefined;
    /** Verifies an SNS message's signature and origin; undefined when SES_EVENTS_TOPIC_ARN is unset. */
    ses: SnsMessageVerifier | undefined;
  };
  close(): Promise<void>;
}

function emailChannel(config: Config, logger: Logger): EmailChannel & { close?(): void } {
  const settings = config.delivery.email;
  if (settings.provider === 'smtp') return createSmtpChannel({ url: settings.url, from: settings.from, requireTls: settings.requireTls });
  if (settings.provider === 'ses') return createSesChannel({ region: settings.region, from: settings.from, endpoint: settings.endpoint, configurationSet: settings.configurationSet });
  return createLogEmailChannel(logger);
}

function smsChannel(config: Config, logger: Logger): SmsChannel {
  const settings = config.delivery.sms;
  if (settings.provider === 'twilio') {
    return createTwilioChannel({
      accountSid: settings.accountSid,
      authToken: settings.authToken,
      from: settings.from,
      apiBaseUrl: settings.apiBaseUrl,
      statusCallbackUrl: settings.statusCallbacks ? `${config.issuer}${TWILIO_CALLBACK_PATH}` : undefined,
    });
  }
  if (settings.provider === 'sns') return createSnsChannel({ region: settings.region, endpoint: settings.endpoint, senderId: settings.senderId });
  return createLogSmsChannel(logger);
}

export function buildDelivery(deps: { config: Config; logger: Logger; knex: Knex; sealer: SecretSealer; translations: Translations; audit: AuditTrail; metrics: Metrics; tasks: OutboxHandler }): Delivery {
  const { config, logger, knex, sealer } = deps;
  const settings = config.delivery;
  const outbox = createOutboxRepository(knex, sealer);
  const templates = createNotificationTemplates({ cache: config.env !== 'development', translator: (locale) => deps.translations.translator(locale), productName: 'Sign in' });
  const email = emailChannel(config, logger);
  const sms = smsChannel(config, logger);
  const subscriptions = cachedSubscriptions(createSubscriptionRepository(knex, sealer), () => activeSubscriptions(knex));
  const guard = createEndpointGuard({ allowedNetworks: settings.webhooks.allowedNetworks, requireHttps: config.env === 'production' });
  const endpoints: EndpointPolicy = {
    async refusal(url) {
      try {
        await guard.check(url);
        return undefined;
      } catch (error) {
        if (error instanceof UnsafeEndpointError) return error.message;
        throw error;
      }
    },
  };
  const sender = createWebhookSender({ guard, timeoutMs: settings.webhooks.timeoutSeconds * 1000, userAgent: 'oidc-server-webhooks/1' });
  const messages = messageHandler({ templates, email, sms });
  const policy = { baseMs: settings.outbox.retryBaseSeconds * 1000, capMs: settings.outbox.retryCapSeconds * 1000, maxAttempts: settings.outbox.maxAttempts };
  const worker = createOutboxWorker(
    {
      outbox,
      handlers: { email: messages, sms: messages, webhook: webhookHandler({ subscriptions, sender, clock: systemClock }), task: deps.tasks },
      policy,
      log: logger,
      audit: deps.audit,
      observe: (sample) => deps.metrics.outboxSettled(sample),
    },
    { batchSize: settings.outbox.batchSize, leaseMs: settings.outbox.leaseSeconds * 1000, pollMs: settings.outbox.pollSeconds * 1000 },
  );
  const smsSettings = settings.sms;
  const sesVerifier = settings.sesEventsTopicArn ? createSnsMessageVerifier({ topicArn: settings.sesEventsTopicArn }) : undefined;
  return {
    unitOfWork: createUnitOfWork(knex),
    tasks: { defer: async (task) => void (await outbox.add({ kind: 'task', topic: task.type, payload: task, maxAttempts: policy.maxAttempts })) },
    outbox,
    notifier: createOutboxNotifier({ outbox, templates, maxAttempts: policy.maxAttempts }),
    templates,
    worker,
    subscriptions,
    endpoints,
    webhooks: createWebhookDispatcher({ subscriptions, outbox, maxAttempts: policy.maxAttempts, clock: systemClock, random: cryptoRandom }),
    callbacks: {
      twilio: smsSettings.provider === 'twilio' ? (signature, params) => verifyTwilioSignature(smsSettings.authToken, signature, `${config.issuer}${TWILIO_CALLBACK_PATH}`, params) : undefined,
      ses: sesVerifier,
    },
    async purgeSettled(batchSize) {
      const before = new Date(Date.now() - settings.outbox.retentionSeconds * 1000);
      // Bounded rounds per run: a backlog is worked off over several runs, never in one long loop.
      return (await purgeInBatches((limit) => outbox.purgeSettled(before, limit), { batchSize, maxBatches: DEFAULT_PURGE_ROUNDS })).deleted;
    },
    async close() {
      await worker.stop();
      email.close?.();
    },
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
