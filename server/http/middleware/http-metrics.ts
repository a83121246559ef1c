/**
 * Counts every response by route name, method and status. Route names are patterns, never raw
 * paths (which carry interaction uids, client ids and tokens): a router's matched pattern, the
 * provider's own route name, or `unmatched`.
 */
import type { Middleware } from 'koa';
import type { Metrics } from '../../shared/metrics.js';

function routeName(ctx: { path: string; _matchedRoute?: unknown; oidc?: { route?: unknown }; state?: { route?: unknown } }): string {
  if (typeof ctx._matchedRoute === 'string') return ctx._matchedRoute;
  // Set by the document cache when it answered for the provider (document-cache.ts).
  if (typeof ctx.state?.route === 'string') return ctx.state.route;
  const oidcRoute = ctx.oidc?.route;
  if (typeof oidcRoute === 'string') return `oidc:${oidcRoute}`;
  if (ctx.path.startsWith('/assets/')) return '/assets';
  return 'unmatched';
}

export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest({ route: routeName(ctx as never), method: ctx.method, status: ctx.status, seconds });
    }
  };
}
