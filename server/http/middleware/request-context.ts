/**
 * Gives every request an id (a well-formed inbound X-Request-Id is kept, so a proxy's id follows
 * the request) and logs one line per response with method, path, status and duration.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';

const INBOUND_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const inbound = ctx.get('x-request-id');
    const requestId = INBOUND_ID.test(inbound) ? inbound : randomUUID();
    const started = process.hrtime.bigint();
    ctx.state.requestId = requestId;
    // Created on first use: most requests log one line and need no child logger of their own.
    let child: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', { get: () => (child ??= logger.child({ requestId })), configurable: true });
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
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
