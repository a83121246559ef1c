/**
 * User-code guessing at the device verification page (RFC 8628 §5.1): a user code is short by
 * design, so wrong codes are limited per IP and over all IPs together. Each submission is
 * checked against both budgets before the provider sees it; a submission the provider rejected
 * (the device pages mark it, server/oidc/device-flow.ts) is charged to both and audited. Over
 * budget: 429 with Retry-After and our error page, audited once per refusal.
 *
 * Budgets are checked from what this process knows (RateLimiter.peek) and charged to the shared
 * counter afterwards, so with N processes at most N extra guesses pass per window.
 */
import type { Middleware } from 'koa';
import type { AuditTrail } from '../../modules/compliance/index.js';
import type { RateLimiter } from '../../shared/rate-limit.js';
import type { Renderer } from '../../shared/rendering.js';
import { negotiateLocale } from '../../shared/i18n.js';
import { requestFacts } from '../browser/request-facts.js';
import { requestLog } from './request-context.js';

export interface DeviceGuessLimiters {
  perIp: RateLimiter;
  total: RateLimiter;
}

const TOTAL_KEY = 'device-guess:all';

export function deviceCodeGuesses(limiters: DeviceGuessLimiters, deps: { audit: AuditTrail; renderer: Renderer }, path: string): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== path) return next();
    const ipKey = `device-guess:ip:${ctx.ip}`;
    const denied = [limiters.perIp.peek(ipKey), limiters.total.peek(TOTAL_KEY)].find((d) => !d.allowed);
    if (denied && !denied.allowed) {
      void deps.audit.record({ type: 'oidc.device.user_code_throttled', outcome: 'denied', actor: { type: 'anonymous' }, ...requestFacts(ctx) });
      const locale = negotiateLocale(ctx, deps.renderer.locales);
      const t = deps.renderer.translator(locale);
      ctx.status = 429;
      ctx.set('Retry-After', String(denied.retryAfterSeconds));
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'html';
      ctx.body = deps.renderer.render('errors/error', { title: t('device.title'), locale, message: t('device.throttled'), code: 'too_many_requests' });
      return;
    }
    await next();
    if (ctx.state.deviceUserCode !== 'rejected') return;
    void deps.audit.record({ type: 'oidc.device.user_code_rejected', outcome: 'failure', actor: { type: 'anonymous' }, ...requestFacts(ctx) });
    // A counter failure must not turn an answered page into an error.
    await Promise.all([limiters.perIp.consume(ipKey), limiters.total.consume(TOTAL_KEY)]).catch((error: unknown) =>
      requestLog(ctx)?.warn({ err: { message: (error as Error)?.message } }, 'device code guess counter failed'),
    );
  };
}
