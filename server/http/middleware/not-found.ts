/**
 * A page for people who reach an address with nothing behind it: a browser asking for HTML
 * gets a real page (language, title, main landmark, a way on) instead of Koa's bare
 * "Not Found"; API clients keep the plain status.
 */
import type Koa from 'koa';
import { pageLocale, renderPage } from '../browser/render.js';
import type { Renderer } from '../../shared/rendering.js';

export function htmlNotFound(renderer: Renderer): Koa.Middleware {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body != null || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return;
    if (ctx.accepts('json', 'html') !== 'html') return;
    renderPage(ctx, renderer, 'errors/not-found', { titleId: 'errors.notFoundTitle' }, { locale: pageLocale(ctx, renderer) });
    ctx.status = 404;
  };
}
