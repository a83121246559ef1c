/**
 * Answers 405 Method Not Allowed with an `Allow` header (RFC 9110 §15.5.6) for any method a
 * group of routes does not serve — including methods the router does not know at all
 * (PROPFIND, TRACE), which @koa/router would otherwise turn into an unexposed 501 and so a 500.
 * OPTIONS passes through: the router answers it with the same Allow header.
 */
import type { Middleware } from 'koa';
import { AppError } from '../../shared/errors.js';

export function allowedMethods(methods: readonly string[]): Middleware {
  const allowed = new Set([...methods, 'OPTIONS']);
  const header = methods.join(', ');
  return async (ctx, next) => {
    if (!allowed.has(ctx.method)) {
      ctx.set('Allow', header);
      throw new AppError('method_not_allowed', `${header} only`);
    }
    await next();
  };
}
