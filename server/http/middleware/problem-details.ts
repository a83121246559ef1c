/**
 * Turns errors thrown by our own routes into responses: RFC 9457 problem+json for JSON APIs,
 * an HTML page for browser routes. Client errors say what was wrong; server errors say nothing
 * more than "internal error" and the request id, and are logged without stack or payload.
 */
import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import { isAppError } from '../../shared/errors.js';
import { isStoreOutage } from '../../shared/outage.js';
import { describeError } from '../../shared/logger.js';
import { requestLog } from './request-context.js';
import type { Renderer } from '../../shared/rendering.js';
import { negotiateLocale } from '../../shared/i18n.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: Array<{ field: string; message: string }>;
}

function toProblem(ctx: Context, error: unknown): Problem {
  // A store outage is not our bug: the request may be retried once Postgres or Redis is back.
  if (isStoreOutage(error)) {
    return { type: 'about:blank', title: STATUS_CODES[503]!, status: 503, detail: 'The service is temporarily unavailable; retry later.', code: 'temporarily_unavailable', requestId: ctx.state.requestId };
  }
  if (isAppError(error) && error.expose) {
    return {
      type: `about:blank`,
      // RFC 9457 §4.2.1: with type about:blank the title is the status phrase.
      title: STATUS_CODES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      requestId: ctx.state.requestId,
      ...(error.details.fields ? { errors: error.details.fields } : {}),
    };
  }
  const status = (error as { status?: number; expose?: boolean })?.expose ? ((error as { status: number }).status ?? 500) : 500;
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(status < 500 && error instanceof Error ? { detail: error.message } : {}),
    code: status >= 500 ? 'internal' : 'invalid_input',
    requestId: ctx.state.requestId,
  };
}

/** The page apps whose forms a browser posts: a refused form (CSRF, media type, size) is a page there too. */
const PAGE_APPS = ['/account', '/console'];

/**
 * @param jsonPrefixes paths of JSON APIs, which answer problem+json whatever the Accept header says.
 * @param outageRetryAfterSeconds Retry-After of the 503 answered while a store is unreachable (OUTAGE_RETRY_AFTER).
 */
export function problemDetails(renderer: Renderer, jsonPrefixes: readonly string[] = [], outageRetryAfterSeconds = 5): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const problem = toProblem(ctx, error);
      if (problem.status === 503) requestLog(ctx)?.warn({ err: describeError(error) }, 'store unavailable');
      else if (problem.status >= 500) requestLog(ctx)?.error({ err: describeError(error) }, 'unhandled error');
      const retryAfter = problem.status === 503 ? outageRetryAfterSeconds : isAppError(error) ? error.details.retryAfterSeconds : undefined;
      if (retryAfter) ctx.set('Retry-After', String(retryAfter));
      ctx.status = problem.status;
      // Browsers get a page: every interaction, self-service (/account) and console (/console) route, and any GET that prefers HTML. APIs get problem+json.
      const jsonApi = jsonPrefixes.some((prefix) => ctx.path.startsWith(prefix));
      const page = ctx.path.startsWith('/interaction') || PAGE_APPS.some((app) => ctx.path === app || ctx.path.startsWith(`${app}/`));
      if (!jsonApi && (page || (ctx.method === 'GET' && ctx.accepts('html', 'json') === 'html'))) {
        ctx.type = 'html';
        const locale = negotiateLocale(ctx, renderer.locales);
        ctx.body = renderer.render('errors/error', {
          title: renderer.translator(locale)('errors.title'),
          locale,
          serverError: problem.status >= 500,
          unavailable: problem.status === 503,
          // The code names a translated message when there is one; the English detail is the fallback.
          messageId: problem.code,
          message: problem.status >= 500 ? undefined : problem.detail ?? problem.title,
          code: problem.code,
          requestId: problem.requestId,
        });
      } else {
        ctx.type = 'application/problem+json';
        ctx.body = problem;
      }
    }
  };
}
