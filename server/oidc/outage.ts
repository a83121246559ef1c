/**
 * Store outages at the protocol endpoints. oidc-provider turns every error it does not know into
 * a 500 `server_error`; while Postgres or Redis is unreachable we answer what RFC 6749 provides
 * instead: `temporarily_unavailable` (§4.1.2.1 at the authorization endpoint, as the usual error
 * redirect or page), with status 503 and Retry-After everywhere else.
 *
 * Two hooks, no fork: what the provider calls of ours (its storage adapters, findAccount)
 * rethrows an outage as the provider's own TemporarilyUnavailable, so the provider renders it in
 * the endpoint's usual shape; any outage that still surfaces as `server_error` (from a hook not
 * wrapped here) is marked through the provider's `server_error` event and rewritten by the
 * middleware around the mounted provider.
 */
import { errors, type Adapter, type FindAccount, type KoaContextWithOIDC, type Provider } from 'oidc-provider';
import type { Context, Middleware } from 'koa';
import { isStoreOutage } from '../shared/outage.js';

const DESCRIPTION = 'the service is temporarily unavailable; retry later';

/** The provider's TemporarilyUnavailable as a 503 that it still exposes to the client. */
export function temporarilyUnavailable(cause: unknown): Error {
  const error = new errors.TemporarilyUnavailable(DESCRIPTION, { cause });
  // Set after construction: the constructor derives `expose` from the status (false from 500 up),
  // and an unexposed error would be rendered as server_error again.
  Object.assign(error, { status: 503, statusCode: 503, expose: true });
  return error;
}

function guard<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await call(...args);
    } catch (error) {
      throw isStoreOutage(error) ? temporarilyUnavailable(error) : error;
    }
  };
}

/** Wraps every storage call oidc-provider makes so an outage reaches it as temporarily_unavailable. */
export function outageAwareAdapter(factory: (model: string) => Adapter): (model: string) => Adapter {
  return (model) => {
    const adapter = factory(model);
    return {
      upsert: guard(adapter.upsert.bind(adapter)),
      find: guard(adapter.find.bind(adapter)),
      findByUserCode: guard(adapter.findByUserCode.bind(adapter)),
      findByUid: guard(adapter.findByUid.bind(adapter)),
      consume: guard(adapter.consume.bind(adapter)),
      destroy: guard(adapter.destroy.bind(adapter)),
      revokeByGrantId: guard(adapter.revokeByGrantId.bind(adapter)),
    };
  };
}

export function outageAwareFindAccount(findAccount: FindAccount): FindAccount {
  return guard(async (ctx: KoaContextWithOIDC, sub: string, token?: Parameters<FindAccount>[2]) => findAccount(ctx, sub, token));
}

const OUTAGE = Symbol('storeOutage');
type Marked = { [OUTAGE]?: true };

/** Marks requests whose `server_error` was really an outage, for `providerOutages` to rewrite. */
export function markOutages(provider: Provider): void {
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: unknown) => {
    if (isStoreOutage(error)) (ctx.state as Marked)[OUTAGE] = true;
  });
}

/** True when the provider's error handling decided this request met an outage. */
export function metOutage(ctx: Context): boolean {
  return (ctx.state as Marked)[OUTAGE] === true;
}

function isServerErrorBody(body: unknown): body is { error: string } {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && (body as { error?: unknown }).error === 'server_error';
}

/**
 * Around the mounted provider: every 503 carries Retry-After, and a JSON `server_error` caused
 * by an outage becomes 503 `temporarily_unavailable`. (HTML error pages are rendered as 503 by
 * the provider's renderError, server/oidc/pages.ts.)
 */
export function providerOutages(retryAfterSeconds: number): Middleware {
  return async (ctx, next) => {
    await next();
    if (metOutage(ctx) && isServerErrorBody(ctx.body)) {
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable', error_description: DESCRIPTION };
    }
    if (ctx.status === 503) ctx.set('Retry-After', String(retryAfterSeconds));
  };
}
