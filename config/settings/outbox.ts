/** The outbox worker delivering email, SMS and webhooks, and the webhook HTTP client. */
import { z } from 'zod';
import { bool, list, positiveInt, seconds } from './kinds.js';
import { optional, setting } from './setting.js';

export const outbox = z.object({
  OUTBOX_WORKER: setting(bool, 'true', 'Run the outbox worker (email, SMS, webhooks) in this process. Safe on every replica.'),
  OUTBOX_POLL_INTERVAL: setting(seconds, '2', 'How often (s) an idle outbox worker looks for due messages.'),
  OUTBOX_BATCH_SIZE: setting(positiveInt, '10', 'Messages one worker claims and delivers concurrently per round.'),
  OUTBOX_MAX_ATTEMPTS: setting(positiveInt, '8', 'Delivery attempts per message before it is dead-lettered (with the default backoff, about four hours).'),
  OUTBOX_RETRY_BASE: setting(seconds, '30', 'Delay (s) before the second attempt; doubles per attempt, with jitter.'),
  OUTBOX_RETRY_CAP: setting(seconds, '3600', 'Longest delay (s) between two attempts.'),
  OUTBOX_LEASE: setting(
    seconds.min(60, 'must be at least 60: a lease must outlast a delivery\'s timeouts'),
    '120',
    'How long (s) a worker holds a claimed message; after that a crashed worker\'s message is retried elsewhere.',
  ),
  OUTBOX_RETENTION: setting(
    seconds,
    '2592000',
    'How long (s) delivered and dead-lettered messages, with their delivery logs, are kept (default 30 days); removed by the purge job.',
  ),
  WEBHOOK_ALLOWED_NETWORKS: optional(
    list.refine((networks) => networks.every((n) => /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(n)), 'must be a comma-separated list of CIDR ranges, e.g. 10.20.0.0/16'),
    'Private networks webhook endpoints may resolve to anyway (loopback, private, link-local ranges are refused otherwise).',
  ),
  WEBHOOK_TIMEOUT: setting(seconds.max(30, 'must be at most 30'), '10', 'Time (s) a webhook endpoint has to answer.'),
});
