/** What the self-service pages (registration, recovery, /account) add to the browser kit (server/http/browser). */
import type { Context } from 'koa';
import type { Renderer } from '../server/shared/rendering.js';
import type { RequestContext } from '../server/modules/self-service/index.js';
import { csrfToken } from '../server/http/browser/csrf.js';
import { pageLocale, renderPage } from '../server/http/browser/render.js';
import { requestContext as contextOf } from '../server/http/browser/request-facts.js';

/** The page language: Accept-Language (the account pages have no client asking for one). */
export function localeOf(ctx: Context, renderer: Renderer): string {
  return pageLocale(ctx, renderer);
}

/** The facts audit records and messages need from this request. */
export function requestContext(ctx: Context, renderer: Renderer): RequestContext {
  return contextOf(ctx, localeOf(ctx, renderer));
}

/** Renders a self-service page: forms may post only to this origin, a fresh CSRF token in `it.csrf`. */
export function renderSelfService(ctx: Context, renderer: Renderer, template: string, data: Record<string, unknown> & { titleId: string }): void {
  renderPage(ctx, renderer, template, { ...data, csrf: csrfToken(ctx) }, { locale: localeOf(ctx, renderer) });
}

/** A page with a heading, a paragraph and an optional link: outcomes of links and forms. */
export function renderMessage(ctx: Context, renderer: Renderer, message: { titleId: string; textId: string; link?: { href: string; labelId: string }; values?: Record<string, string> }): void {
  renderSelfService(ctx, renderer, 'account/message', message);
}

/** Field problems from an AppError as translated ids under `fields.` keyed by field. */
export function fieldErrors(fields: Array<{ field: string; message: string }> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { field, message } of fields ?? []) (out[field] ??= []).push(`fields.${message}`);
  return out;
}
