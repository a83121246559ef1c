/**
 * GET /metrics in the Prometheus text format, served only when METRICS_ENABLED is true. With
 * METRICS_TOKEN set (required in production) the scraper must send `Authorization: Bearer
 * <token>`; the comparison is constant-time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { MetricsExposition } from '../../shared/metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function metricsRoute(exposition: MetricsExposition, token: string | undefined): Middleware {
  const expected = token ? digest(token) : undefined;
  return async (ctx, next) => {
    if (ctx.path !== '/metrics') return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    if (expected) {
      const header = ctx.get('authorization');
      const given = /^Bearer (.+)$/i.exec(header)?.[1];
      // Hashing both sides makes the comparison constant-time whatever the lengths.
      if (!given || !timingSafeEqual(digest(given), expected)) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        ctx.body = '';
        return;
      }
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = exposition.contentType;
    ctx.body = await exposition.render();
  };
}
