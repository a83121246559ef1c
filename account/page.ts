/** Rendering and small helpers shared by the self-service pages (registration, recovery, /account). */
import type { Context } from 'koa';
import { negotiateLocale } from '../server/shared/i18n.js';
import { cspWithFormTargets } from '../server/http/middleware/security-headers.js';
import type { Renderer } from '../server/shared/rendering.js';
import type { RequestContext } from '../server/modules/self-service/index.js';
import { csrfToken } from '../interactions/csrf.js';

export function localeOf(ctx: Context, renderer: Renderer): string {
  return negotiateLocale(ctx, renderer.locales);
}

/** The facts audit records and messages need from this request. */
export function requestContext(ctx: Context, renderer: Renderer): RequestContext {
  return {
    facts: { ip: ctx.ip, userAgent: ctx.get('user-agent') || undefined, requestId: ctx.state.requestId as string | undefined },
    locale: localeOf(ctx, renderer),
  };
}

/**
 * Renders a self-service page: never cached, forms may post only to this origin, a fresh CSRF
 * token in `it.csrf`. `titleId` is translated in the page locale by the template itself.
 */
export function renderSelfService(ctx: Context, renderer: Renderer, template: string, data: Record<string, unknown> & { titleId: string }): void {
  ctx.set('Content-Security-Policy', cspWithFormTargets([]));
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  const locale = localeOf(ctx, renderer);
  ctx.body = renderer.render(template, { ...data, title: renderer.translator(locale)(data.titleId), locale, csrf: csrfToken(ctx) });
}

/** A page with a heading, a paragraph and an optional link: outcomes of links and forms. */
export function renderMessage(ctx: Context, renderer: Renderer, message: { titleId: string; textId: string; link?: { href: string; labelId: string }; values?: Record<string, string> }): void {
  renderSelfService(ctx, renderer, 'account/message', message);
}

export function bodyOf(ctx: Context): Record<string, unknown> {
  return ((ctx.request as unknown as { body?: unknown }).body ?? {}) as Record<string, unknown>;
}

/** POST → GET (303). */
export function seeOther(ctx: Context, url: string): void {
  ctx.status = 303;
  ctx.redirect(url);
}

/** Field problems from an AppError as translated ids under `fields.` keyed by field. */
export function fieldErrors(fields: Array<{ field: string; message: string }> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { field, message } of fields ?? []) (out[field] ??= []).push(`fields.${message}`);
  return out;
}
