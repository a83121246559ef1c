/**
 * CORS preflights for the endpoints browsers may call (token, userinfo, introspection,
 * revocation). A preflight names no client, so oidc-provider answers every one permissively and
 * enforces the client's origins on the actual request. This gate refuses the preflight itself
 * when its origin belongs to no registered client, so a foreign page is stopped by the browser
 * before it sends anything.
 */
import type { Middleware } from 'koa';

export function corsPreflightGate(paths: readonly string[], isRegisteredOrigin: (origin: string) => Promise<boolean>): Middleware {
  const gated = new Set(paths);
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    if (ctx.method !== 'OPTIONS' || !origin || !ctx.get('access-control-request-method') || !gated.has(ctx.path)) return next();
    if (await isRegisteredOrigin(origin)) return next();
    // No Access-Control-Allow-* headers: the browser fails the preflight and sends nothing.
    ctx.status = 403;
    ctx.vary('Origin');
  };
}
