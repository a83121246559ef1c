/**
 * What the modules are told about the browser request behind a call: address, user agent and
 * request id (for audit records), and, for self-service, the page locale messages are written in.
 * `ctx.ip` honours TRUST_PROXY (Koa's `proxy`, one hop).
 */
import type { Context } from 'koa';
import type { RequestFacts } from '../../modules/compliance/index.js';
import type { RequestContext } from '../../modules/self-service/index.js';

/** Koa always knows the peer address: `ip` is never absent here. */
export function requestFacts(ctx: Context): RequestFacts & { ip: string } {
  return {
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || undefined,
    requestId: typeof ctx.state.requestId === 'string' ? ctx.state.requestId : undefined,
  };
}

export function requestContext(ctx: Context, locale: string): RequestContext {
  return { facts: requestFacts(ctx), locale };
}
