/**
 * The metrics port: what any layer may count, without knowing Prometheus. `container.metrics`
 * is the instance; `adapters/metrics/prometheus.ts` implements it. Label values come from closed
 * lists so no caller can create unbounded time series (a value outside its list counts as
 * `other`).
 */

/** Sign-in outcomes. Add a value here (not an ad-hoc string) when a new outcome appears. */
export const LOGIN_OUTCOMES = ['success', 'failure', 'throttled', 'locked', 'mfa_required', 'mfa_success', 'mfa_failure'] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

/** Outbox message kinds and settlement outcomes (labels of outbox_deliveries_total). */
export const OUTBOX_KINDS = ['email', 'sms', 'webhook', 'task', 'backchannel_logout'] as const;
export const OUTBOX_OUTCOMES = ['delivered', 'retry', 'dead'] as const;

export interface OutboxSample {
  kind: (typeof OUTBOX_KINDS)[number];
  status: (typeof OUTBOX_OUTCOMES)[number];
  /** How long the delivery attempt took (channel call), in seconds. */
  seconds: number;
}

export interface HttpRequestSample {
  /** A route name or pattern (`/interaction/:uid/login`, `oidc:token`), never a raw path. */
  route: string;
  method: string;
  status: number;
  seconds: number;
}

export interface Metrics {
  /** One sign-in attempt finished with `outcome` (login form, MFA step, federation). */
  loginAttempt(outcome: LoginOutcome): void;
  /** The token endpoint issued tokens for `grantType`. */
  tokenIssued(grantType: string): void;
  httpRequest(sample: HttpRequestSample): void;
  auditDropped(count: number): void;
  auditFlushFailed(): void;
  /** An audit record the chain refused was set aside in the quarantine table. */
  auditQuarantined(): void;
  /** Reads whether the audit trail is stalled (1) whenever metrics are scraped. */
  watchAuditStalled(stalled: () => boolean): void;
  /** Reads the audit queue depth whenever metrics are scraped. */
  watchAuditQueue(depth: () => number): void;
  /** One outbox delivery attempt settled (email, SMS or webhook; a failed webhook is `retry` or `dead`). */
  outboxSettled(sample: OutboxSample): void;
  /** Reads the number of undelivered outbox messages whenever metrics are scraped. */
  watchOutboxDepth(depth: () => Promise<number>): void;
}

/** The text exposition a scraper fetches. */
export interface MetricsExposition {
  contentType: string;
  render(): Promise<string>;
}
