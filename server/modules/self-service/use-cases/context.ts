/** What every self-service use case is told about the request that caused it, and the deps they share. */
import type { AuditEvent, AuditTrail, RequestFacts } from '../../compliance/index.js';
import type { Notifier } from '../../notifications/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { RateDecision, RateLimiter } from '../../../shared/rate-limit.js';

export interface RequestContext {
  facts: RequestFacts;
  /** The page locale: messages caused by this request are written in it. */
  locale: string;
}

export interface SelfServiceSettings {
  /** Absolute base of links in messages (the issuer). */
  issuer: string;
  /** Lifetime (s) of verification links and codes. */
  verificationTtl: number;
  /** Lifetime (s) of password reset links. */
  resetTtl: number;
}

/** Budgets for messages (per address and per IP) and for code guesses (per IP). */
export interface SelfServiceLimits {
  messagesPerAddress: RateLimiter;
  messagesPerIp: RateLimiter;
  codeAttemptsPerIp: RateLimiter;
}

export interface MessagingDeps {
  notifier: Notifier;
  audit: AuditTrail;
  clock: Clock;
  settings: SelfServiceSettings;
}

/** Records an audit event with the request facts filled in. */
export function audit(trail: AuditTrail, context: RequestContext, event: Omit<AuditEvent, 'ip' | 'userAgent' | 'requestId'>): Promise<void> {
  return trail.record({ ...event, ...context.facts });
}

/** Spends one point of each budget; @returns the first refusal, else allowed. */
export async function spend(budgets: Array<[RateLimiter, string]>): Promise<RateDecision> {
  for (const [limiter, key] of budgets) {
    const decision = await limiter.consume(key);
    if (!decision.allowed) return decision;
  }
  return { allowed: true };
}

export const minutes = (seconds: number) => String(Math.max(1, Math.round(seconds / 60)));
