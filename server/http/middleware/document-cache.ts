/**
 * Discovery and JWKS change only when the provider does (a new key set swaps it in): the first
 * answer of each provider instance is kept serialized, with an ETag, and later requests are
 * answered from it without running the provider, a conditional one with 304. Only plain GETs are
 * served from the cache: a query string or an Origin (CORS headers depend on it) goes through the
 * provider as before.
 */
import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';

interface Cached {
  body: Buffer;
  /** The headers the provider set (or changed) on its answer, replayed on every hit. */
  headers: Array<[string, string | string[]]>;
  /** The provider's route pattern, so /metrics counts a hit under the same route (http-metrics.ts). */
  route: string | undefined;
}

type Headers = Record<string, string | string[] | number | undefined>;

/** @param instance the current provider (its identity only): a new one empties the cache. */
export function documentCache(paths: readonly string[], instance: () => object): Middleware {
  const cacheable = new Set(paths);
  let owner: object | undefined;
  let cache = new Map<string, Cached>();
  return async (ctx, next) => {
    if (ctx.method !== 'GET' || !cacheable.has(ctx.path) || ctx.querystring || ctx.get('origin')) return next();
    const current = instance();
    if (owner !== current) {
      owner = current;
      cache = new Map();
    }
    const hit = cache.get(ctx.path);
    if (hit) {
      if (hit.route) ctx.state.route = hit.route;
      for (const [name, value] of hit.headers) ctx.set(name, value);
      ctx.status = 200;
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.body = hit.body;
      return;
    }
    const before = { ...(ctx.response.headers as Headers) };
    await next();
    const body: unknown = ctx.body;
    // Only a JSON object answer of the provider instance this request started with is kept.
    if (ctx.status !== 200 || !body || typeof body !== 'object' || Buffer.isBuffer(body) || typeof (body as { pipe?: unknown }).pipe === 'function' || instance() !== current) return;
    const serialized = Buffer.from(JSON.stringify(body));
    ctx.set('ETag', `"${createHash('sha256').update(serialized).digest('base64url')}"`);
    const after = ctx.response.headers as Headers;
    const headers = Object.entries(after)
      .filter(([name, value]) => value !== undefined && name !== 'content-length' && String(before[name]) !== String(value))
      .map(([name, value]) => [name, Array.isArray(value) ? value : String(value)] as [string, string | string[]]);
    // The provider's router names the route as /metrics labels it (http-metrics.ts).
    const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
    cache.set(ctx.path, { body: serialized, headers, route: typeof route === 'string' ? route : undefined });
    ctx.body = serialized;
    if (ctx.fresh) ctx.status = 304;
  };
}
