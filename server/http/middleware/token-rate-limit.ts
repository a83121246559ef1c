/**
 * Per-client rate limit on the token endpoint, answered with 429 and Retry-After. The client is
 * identified before oidc-provider authenticates it: from HTTP Basic, or from the form body (read
 * here and pushed back onto the request stream for oidc-provider to parse). Public clients are
 * counted per client and IP, since their id is public and one caller must not exhaust the
 * budget of every user of a single-page app.
 */
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type { RateLimiter } from '../../shared/rate-limit.js';
import { requestLog } from './request-context.js';


// oidc-provider refuses token request bodies over 56 KiB; larger ones are not worth reading.
const BODY_LIMIT = 56 * 1024;

async function peekBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const length = Number(req.headers['content-length']);
  if (!Number.isInteger(length) || length <= 0 || length > BODY_LIMIT) return undefined;
  const chunks: Buffer[] = [];
  let received = 0;
  while (received < length) {
    const chunk = req.read(Math.min(length - received, req.readableLength || length - received)) as Buffer | null;
    if (chunk === null) {
      if (req.readableEnded || req.destroyed) break;
      await Promise.race([once(req, 'readable'), once(req, 'end'), once(req, 'close')]);
      continue;
    }
    chunks.push(chunk);
    received += chunk.length;
  }
  const body = Buffer.concat(chunks);
  if (!req.readableEnded) req.unshift(body);
  else return undefined;
  return body;
}

function basicClientId(authorization: string): string | undefined {
  if (!authorization.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The key of a request that authenticates with HTTP Basic, found without reading the body. */
function basicKey(req: IncomingMessage): string | undefined {
  const basic = basicClientId(String(req.headers.authorization ?? ''));
  return basic ? `token:client:${basic}` : undefined;
}

export async function rateLimitKey(req: IncomingMessage, ip: string): Promise<string> {
  const basic = basicKey(req);
  if (basic) return basic;
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return `token:ip:${ip}`;
  const body = await peekBody(req);
  if (!body) return `token:ip:${ip}`;
  const params = new URLSearchParams(body.toString('utf8'));
  const clientId = params.get('client_id');
  if (!clientId) return `token:ip:${ip}`;
  const authenticated = params.has('client_secret') || params.has('client_assertion');
  return authenticated ? `token:client:${clientId}` : `token:client:${clientId}:ip:${ip}`;
}

export interface TokenLimiters {
  /** Requests per client (public clients: per client and IP). */
  perClient: RateLimiter;
  /** Failed client authentications per IP. */
  authFailures: RateLimiter;
}

/**
 * Budgets are checked before the request and charged after it: a request that fails client
 * authentication (401) is charged to its IP, not to the client it named, so nobody can lock a
 * confidential client out by sending its id with wrong secrets. Concurrent requests may overshoot
 * a budget by the number in flight. The charge is awaited, so the next request sees it; it costs a
 * Redis round trip only when a new lease is taken (adapters/redis/rate-limiter.ts).
 */
export function tokenRateLimit(limiters: TokenLimiters, tokenPath: string): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== tokenPath) return next();
    // Most clients authenticate with Basic: their key needs no body read and no await.
    const key = basicKey(ctx.req) ?? (await rateLimitKey(ctx.req, ctx.ip));
    const failureKey = `token:authfail:ip:${ctx.ip}`;
    const decisions = [limiters.perClient.peek(key), limiters.authFailures.peek(failureKey)];
    const denied = decisions.find((d): d is Extract<typeof d, { allowed: false }> => !d.allowed);
    if (denied) {
      ctx.status = 429;
      ctx.set('Retry-After', String(denied.retryAfterSeconds));
      ctx.type = 'application/json';
      // RFC 6749 has no rate-limit error code; this mirrors its error shape for OAuth clients.
      ctx.body = { error: 'temporarily_unavailable', error_description: 'too many token requests; retry after the time in Retry-After' };
      return;
    }
    try {
      await next();
    } finally {
      const charge = ctx.status === 401 ? limiters.authFailures.consume(failureKey) : limiters.perClient.consume(key);
      // A counter failure must not turn an answered request into an error.
      await charge.catch((error: unknown) => requestLog(ctx)?.warn({ err: { message: (error as Error)?.message } }, 'rate limit counter failed'));
    }
  };
}
