/**
 * Everything that leaves the process: the channels chosen by configuration, templates, the outbox
 * notifier, webhook dispatch and the provider callbacks' verifiers (`buildOutbound`), then the
 * worker that sends what the outbox holds (`buildOutboxWorker`), which audits through the trail
 * built in between. Like the rest of the wiring, this decides nothing.
 */
import type { Config } from '../../../config/loader.js';
import { createSesChannel } from '../../../adapters/aws/ses.js';
import { createSnsChannel } from '../../../adapters/aws/sns.js';
import { createSnsMessageVerifier, type SnsMessageVerifier } from '../../../adapters/aws/sns-message.js';
import { createDevMailbox, type DevMailbox } from '../../../adapters/console/dev-mailbox.js';
import { createLogEmailChannel, createLogSmsChannel } from '../../../adapters/console/log-channel.js';
import { createSmtpChannel } from '../../../adapters/mailer/smtp.js';
import { createNotificationTemplates } from '../../../adapters/templates/notification-templates.js';
import { createTwilioChannel, verifyTwilioSignature } from '../../../adapters/twilio/sms.js';
import { createEndpointGuard, UnsafeEndpointError } from '../../../adapters/webhooks/endpoint-guard.js';
import { createWebhookSender } from '../../../adapters/webhooks/http-sender.js';
import type { Translations } from '../../shared/i18n.js';
import type { Logger } from '../../shared/logger.js';
import type { AuditTrail } from '../../modules/compliance/index.js';
import {
  createOutboxNotifier,
  createOutboxWorker,
  messageHandler,
  type EmailChannel,
  type Notifier,
  type Outbox,
  type OutboxWorker,
  type SmsChannel,
  type TemplateRenderer,
} from '../../modules/notifications/index.js';
import { createWebhookDispatcher, webhookHandler, type EndpointPolicy, type SubscriptionRepository, type WebhookDispatcher, type WebhookSender } from '../../modules/webhooks/index.js';
import type { Metrics } from '../../shared/metrics.js';
import type { UnitOfWork } from '../../shared/unit-of-work.js';
import { systemClock } from '../../shared/clock.js';
import { cryptoRandom } from '../../../adapters/crypto/random.js';
import type { DeferredTasks } from '../../modules/self-service/index.js';
import type { OutboxHandler } from '../../modules/notifications/index.js';
import { createFormPoster } from '../../../adapters/webhooks/form-poster.js';
import { createLogoutTokenSigner } from '../../../adapters/crypto/logout-token-signer.js';
import { logoutHandler, type LogoutClients, type LogoutPoster, type LogoutTokenSigner } from '../../modules/logout/index.js';
import { loadSigningKeys, type SigningKeyDeps } from '../../modules/keys/index.js';
import type { ClientRepository } from '../../modules/clients/index.js';

/** The path Twilio posts status callbacks to; the signature covers the full public URL. */
export const TWILIO_CALLBACK_PATH = '/notifications/v1/callbacks/twilio';
export const SES_CALLBACK_PATH = '/notifications/v1/callbacks/ses';
const PURGE_ROUNDS = 20;

export interface Outbound {
  unitOfWork: UnitOfWork;
  /** Self-service work deferred past the answer (outbox kind `task`). */
  tasks: DeferredTasks;
  outbox: Outbox;
  notifier: Notifier;
  templates: TemplateRenderer;
  subscriptions: SubscriptionRepository;
  endpoints: EndpointPolicy;
  webhooks: WebhookDispatcher;
  email: EmailChannel & { close?(): void };
  sms: SmsChannel;
  /** Development with a log channel: the latest printed messages, for /dev/mailbox. */
  mailbox: DevMailbox | undefined;
  /** Posts webhook deliveries through the same endpoint guard that vets subscription URLs. */
  sender: WebhookSender;
  /** Back-channel logout delivery: clients' registrations, the logout token signer, the guarded POST. */
  logout: { clients: LogoutClients; signer: LogoutTokenSigner; poster: LogoutPoster };
  /** Deletes settled messages older than OUTBOX_RETENTION, in bounded batches. @returns how many. */
  purgeSettled(batchSize: number): Promise<number>;
  callbacks: {
    /** Verifies X-Twilio-Signature for a status callback; undefined when Twilio is not the SMS channel. */
    twilio: ((signature: string, params: Record<string, string>) => Promise<boolean>) | undefined;
    /** Verifies an SNS message's signature and origin; undefined when SES_EVENTS_TOPIC_ARN is unset. */
    ses: SnsMessageVerifier | undefined;
  };
}

/** The outbound pieces and the worker that sends them; `close` stops the worker and the mail transport. */
export interface Delivery extends Outbound {
  worker: OutboxWorker;
  close(): Promise<void>;
}

function emailChannel(config: Config, logger: Logger, mailbox: DevMailbox | undefined): EmailChannel & { close?(): void } {
  const settings = config.delivery.email;
  if (settings.provider === 'smtp') return createSmtpChannel({ url: settings.url, from: settings.from, requireTls: settings.requireTls });
  if (settings.provider === 'ses') return createSesChannel({ region: settings.region, from: settings.from, endpoint: settings.endpoint, configurationSet: settings.configurationSet });
  return createLogEmailChannel(logger, blockPrinter(config), mailbox);
}

function smsChannel(config: Config, logger: Logger, mailbox: DevMailbox | undefined): SmsChannel {
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
  return createLogSmsChannel(logger, blockPrinter(config), mailbox);
}

/** LOG_FORMAT=pretty: development messages as readable blocks on stdout, beside the pretty log. */
const blockPrinter = (config: Config) => (config.logFormat === 'pretty' ? (block: string) => void process.stdout.write(block) : undefined);

function retryPolicy(config: Config) {
  const { outbox } = config.delivery;
  return { baseMs: outbox.retryBaseSeconds * 1000, capMs: outbox.retryCapSeconds * 1000, maxAttempts: outbox.maxAttempts };
}

export function buildOutbound(deps: {
  config: Config;
  logger: Logger;
  stores: { outbox: Outbox; subscriptions: SubscriptionRepository; unitOfWork: UnitOfWork; clients: ClientRepository; keys: SigningKeyDeps };
  translations: Translations;
  metrics: Metrics;
}): Outbound {
  const { config, logger } = deps;
  const { outbox, subscriptions } = deps.stores;
  const settings = config.delivery;
  const templates = createNotificationTemplates({ cache: config.env !== 'development', translator: (locale) => deps.translations.translator(locale), productName: config.brandName });
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
  const { maxAttempts } = retryPolicy(config);
  const smsSettings = settings.sms;
  // A gauge read at scrape time.
  deps.metrics.watchOutboxDepth(() => outbox.depth());
  const printsMessages = settings.email.provider === 'log' || settings.sms.provider === 'log';
  const mailbox = config.env === 'development' && printsMessages ? createDevMailbox() : undefined;
  return {
    unitOfWork: deps.stores.unitOfWork,
    tasks: { defer: async (task) => void (await outbox.add({ kind: 'task', topic: task.type, payload: task, maxAttempts })) },
    outbox,
    notifier: createOutboxNotifier({ outbox, templates, maxAttempts }),
    templates,
    subscriptions,
    endpoints,
    webhooks: createWebhookDispatcher({ subscriptions, outbox, maxAttempts, clock: systemClock, random: cryptoRandom }),
    email: emailChannel(config, logger, mailbox),
    sms: smsChannel(config, logger, mailbox),
    mailbox,
    sender,
    logout: {
      clients: { metadataOf: async (clientId) => (await deps.stores.clients.find(clientId))?.metadata },
      signer: createLogoutTokenSigner({ issuer: config.issuer, keys: async () => (await loadSigningKeys(deps.stores.keys)).jwks }),
      poster: createFormPoster({ guard, timeoutMs: settings.webhooks.timeoutSeconds * 1000, userAgent: 'oidc-server-backchannel-logout/1' }),
    },
    callbacks: {
      twilio: smsSettings.provider === 'twilio' ? (signature, params) => verifyTwilioSignature(smsSettings.authToken, signature, `${config.issuer}${TWILIO_CALLBACK_PATH}`, params) : undefined,
      ses: settings.sesEventsTopicArn ? createSnsMessageVerifier({ topicArn: settings.sesEventsTopicArn }) : undefined,
    },
    async purgeSettled(batchSize) {
      const before = new Date(Date.now() - settings.outbox.retentionSeconds * 1000);
      let total = 0;
      // At most PURGE_ROUNDS batches per run: a backlog is worked off over several runs, never in one long loop.
      for (let round = 0; round < PURGE_ROUNDS; round += 1) {
        const deleted = await outbox.purgeSettled(before, batchSize);
        total += deleted;
        if (deleted < batchSize) break;
      }
      return total;
    },
  };
}

/** The worker that sends messages and webhooks; it audits each settled delivery through `audit`. */
export function buildOutboxWorker(deps: { config: Config; logger: Logger; outbound: Outbound; audit: AuditTrail; metrics: Metrics; tasks: OutboxHandler }): Delivery {
  const { config, outbound } = deps;
  const settings = config.delivery;
  const messages = messageHandler({ templates: outbound.templates, email: outbound.email, sms: outbound.sms });
  const worker = createOutboxWorker(
    {
      outbox: outbound.outbox,
      handlers: { email: messages, sms: messages, webhook: webhookHandler({ subscriptions: outbound.subscriptions, sender: outbound.sender, clock: systemClock }), task: deps.tasks, backchannel_logout: logoutHandler(outbound.logout) },
      policy: retryPolicy(config),
      log: deps.logger,
      audit: deps.audit,
      observe: (sample) => deps.metrics.outboxSettled(sample),
    },
    { batchSize: settings.outbox.batchSize, leaseMs: settings.outbox.leaseSeconds * 1000, pollMs: settings.outbox.pollSeconds * 1000 },
  );
  return {
    ...outbound,
    worker,
    async close() {
      await worker.stop();
      outbound.email.close?.();
    },
  };
}
