/**
 * The metrics port on prom-client, in a registry of its own (never the global one: tests run
 * several servers in one process, and nothing else can pollute our exposition).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LOGIN_OUTCOMES, type Metrics, type MetricsExposition } from '../../server/shared/metrics.js';

// oidc-provider's grant types plus the ones we may enable; anything else is `other`.
const GRANT_TYPES = new Set([
  'authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code',
  'urn:openid:params:grant-type:ciba', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer',
]);
const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const OUTCOMES = new Set<string>(LOGIN_OUTCOMES);
// From a cached discovery document (~1 ms) to a slow argon2 sign-in (~1 s).
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface PrometheusMetrics extends Metrics, MetricsExposition {}

/** @param options.processMetrics also collect Node's default process metrics (CPU, memory, event loop). */
export function createPrometheusMetrics(options: { processMetrics: boolean }): PrometheusMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route, method and status.', labelNames: ['route', 'method', 'status'], registers: [registry] });
  const durations = new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration by route and method.', labelNames: ['route', 'method'], buckets: DURATION_BUCKETS, registers: [registry] });
  const tokens = new Counter({ name: 'oidc_tokens_issued_total', help: 'Successful token endpoint responses by grant type.', labelNames: ['grant_type'], registers: [registry] });
  const logins = new Counter({ name: 'auth_login_attempts_total', help: 'Sign-in attempts by outcome.', labelNames: ['outcome'], registers: [registry] });
  const dropped = new Counter({ name: 'audit_events_dropped_total', help: 'Audit events dropped because the in-memory audit queue was full.', registers: [registry] });
  const flushFailures = new Counter({ name: 'audit_flush_failures_total', help: 'Audit batches that could not be written (retried).', registers: [registry] });
  const quarantined = new Counter({ name: 'audit_records_quarantined_total', help: 'Audit records the chain refused, set aside in the audit_quarantine table instead of blocking the trail.', registers: [registry] });
  const stalls: Array<() => boolean> = [];
  new Gauge({
    name: 'audit_trail_stalled',
    help: '1 while the audit trail cannot append (its last flush failed, or its oldest queued event waited too long).',
    registers: [registry],
    collect() {
      this.set(stalls.some((stalled) => stalled()) ? 1 : 0);
    },
  });
  const depths: Array<() => number> = [];
  new Gauge({
    name: 'audit_queue_depth',
    help: 'Audit events waiting in memory to be appended to the chain.',
    registers: [registry],
    collect() {
      this.set(depths.reduce((sum, depth) => sum + depth(), 0));
    },
  });
  const deliveries = new Counter({ name: 'outbox_deliveries_total', help: 'Outbox delivery attempts by kind (email, sms, webhook) and outcome (delivered, retry, dead).', labelNames: ['kind', 'status'], registers: [registry] });
  const deliverySeconds = new Histogram({ name: 'outbox_delivery_duration_seconds', help: 'Time a delivery attempt took (SMTP, SES, Twilio, SNS or webhook call), by kind.', labelNames: ['kind'], buckets: DURATION_BUCKETS, registers: [registry] });
  const outboxDepths: Array<() => Promise<number>> = [];
  new Gauge({
    name: 'outbox_depth',
    help: 'Outbox messages not yet delivered or dead-lettered (pending or in flight), across all replicas.',
    registers: [registry],
    async collect() {
      this.set((await Promise.all(outboxDepths.map((depth) => depth()))).reduce((sum, n) => sum + n, 0));
    },
  });
  for (const outcome of LOGIN_OUTCOMES) logins.inc({ outcome }, 0);
  return {
    loginAttempt: (outcome) => logins.inc({ outcome: OUTCOMES.has(outcome) ? outcome : 'other' }),
    tokenIssued: (grantType) => tokens.inc({ grant_type: GRANT_TYPES.has(grantType) ? grantType : 'other' }),
    httpRequest({ route, method, status, seconds }) {
      const m = METHODS.has(method) ? method : 'OTHER';
      requests.inc({ route, method: m, status: String(status) });
      durations.observe({ route, method: m }, seconds);
    },
    auditDropped: (count) => dropped.inc(count),
    auditFlushFailed: () => flushFailures.inc(),
    watchAuditQueue: (depth) => void depths.push(depth),
    auditQuarantined: () => quarantined.inc(),
    watchAuditStalled: (stalled) => void stalls.push(stalled),
    outboxSettled({ kind, status, seconds }) {
      deliveries.inc({ kind, status });
      deliverySeconds.observe({ kind }, seconds);
    },
    watchOutboxDepth: (depth) => void outboxDepths.push(depth),
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
