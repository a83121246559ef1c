/**
 * Our HTML pages as responses: never cached (they carry CSRF tokens and personal data), a
 * Content-Security-Policy whose form-action names only this origin and the given targets, the
 * page language negotiated once (a client's `ui_locales`, OIDC Core §3.1.2.1, else the browser's
 * Accept-Language), and the title translated in it.
 */
import type { Context } from 'koa';
import { cspWithFormTargets } from '../middleware/security-headers.js';
import { negotiateLocale } from '../../shared/i18n.js';
import type { Renderer } from '../../shared/rendering.js';

/** The page language: the first supported `ui_locales` entry, else Accept-Language, else English. */
export function pageLocale(ctx: Context, renderer: Renderer, uiLocales?: string): string {
  return negotiateLocale(ctx, renderer.locales, uiLocales);
}

/** The page title: a message id (translated here, with `titleValues`) or text already translated. */
export type PageTitle = { titleId: string; titleValues?: Record<string, string> } | { title: string };

export interface PageOptions {
  locale: string;
  /** Origins a form of the page may post (or be redirected) to besides 'self'. */
  formTargets?: Iterable<string>;
}

export function renderPage(ctx: Context, renderer: Renderer, template: string, data: Record<string, unknown> & PageTitle, options: PageOptions): void {
  const heading: PageTitle = data;
  ctx.set('Content-Security-Policy', cspWithFormTargets(options.formTargets ?? []));
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  ctx.body = renderer.render(template, {
    ...data,
    title: 'titleId' in heading ? renderer.translator(options.locale)(heading.titleId, heading.titleValues) : heading.title,
    locale: options.locale,
  });
}

/** POST → GET (303 See Other, RFC 9110 §15.4.4): a reload never resubmits the form. */
export function seeOther(ctx: Context, url: string): void {
  ctx.status = 303;
  ctx.redirect(url);
}
