/**
 * Gives every request an id (a well-formed inbound X-Request-Id is kept, so a proxy's id follows
 * the request) and logs one line per response with method, path, status and duration.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { runWithRequestId } from '../../shared/request-scope.js';
import type { Logger } from '../../shared/logger.js';

const INBOUND_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const inbound = ctx.get('x-request-id');
    const requestId = INBOUND_ID.test(inbound) ? inbound : randomUUID();
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestId;
    ctx.state.logger = logger;
    ctx.set('X-Request-Id', requestId);
    try {
      // Everything downstream (logs, audit records) finds the id through the request scope.
      await runWithRequestId(requestId, next);
    } finally {
      const status = ctx.status;
      const level = status >= 500 ? 'error' : 'info';
      // Checked first: building the line (ctx.ip parses forwarding headers) costs even when it is dropped.
      if (logger.isLevelEnabled(level)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger[level]({ requestId, method: ctx.method, path: ctx.path, status, ms: Math.round(ms * 10) / 10, ip: ctx.ip }, 'request');
      }
    }
  };
}

/** The request's logger; its lines carry the request id through the logger's request-scope mixin. */
export function requestLog(ctx: { state: Record<string, unknown> }): Logger | undefined {
  return (ctx.state as { logger?: Logger }).logger;
}
