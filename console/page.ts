/**
 * Console pages through the browser kit (server/http/browser): strict CSP, no-store, CSRF token
 * in `it.csrf`, the page language from Accept-Language, and the console's navigation with the
 * current screen marked. One-shot notices (after a POST → 303) travel in a signed cookie.
 */
import type { Context } from 'koa';
import { csrfToken } from '../server/http/browser/csrf.js';
import { pageLocale, renderPage } from '../server/http/browser/render.js';
import { clearCookie, readCookie, writeCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';
import type { Renderer } from '../server/shared/rendering.js';
import type { ConsoleDeps } from './deps.js';

export const NAV = [
  { id: 'overview', href: '/console' },
  { id: 'users', href: '/console/users' },
  { id: 'clients', href: '/console/clients' },
  { id: 'apis', href: '/console/apis' },
  { id: 'roles', href: '/console/roles' },
  { id: 'webhooks', href: '/console/webhooks' },
  { id: 'audit', href: '/console/audit' },
  { id: 'settings', href: '/console/settings' },
] as const;

export type Screen = (typeof NAV)[number]['id'];

const NOTICE_COOKIE: CookieSpec = { name: 'console_notice', path: '/console', maxAgeMs: 60 * 1000 };

export interface Notice {
  id: string;
  values?: Record<string, string>;
  kind?: 'ok' | 'error';
}

export function consoleLocale(ctx: Context, renderer: Renderer): string {
  return pageLocale(ctx, renderer);
}

/** Shown on the next page this browser opens, once. Never a secret: those are shown in the POST's own answer. */
export function setNotice(ctx: Context, notice: Notice): void {
  writeCookie(ctx, NOTICE_COOKIE, notice);
}

const isNotice = (v: unknown): Notice | undefined => (typeof (v as Notice)?.id === 'string' ? (v as Notice) : undefined);

export function renderConsole(ctx: Context, deps: ConsoleDeps, template: string, data: Record<string, unknown> & { titleId: string; screen: Screen | undefined }): void {
  const notice = readCookie(ctx, NOTICE_COOKIE, isNotice);
  if (notice) clearCookie(ctx, NOTICE_COOKIE);
  renderPage(ctx, deps.renderer, `console/${template}`, { nav: NAV, notice, ...data, csrf: csrfToken(ctx) }, { locale: consoleLocale(ctx, deps.renderer) });
}

/** A page with a heading, a paragraph and an optional link: failures and confirmations. */
export function renderConsoleMessage(ctx: Context, deps: ConsoleDeps, message: { titleId: string; textId: string; link?: { href: string; labelId: string }; values?: Record<string, string> }): void {
  renderConsole(ctx, deps, 'message', { ...message, screen: undefined });
}

export function seeOther(ctx: Context, url: string, notice?: Notice): void {
  if (notice) setNotice(ctx, notice);
  ctx.status = 303;
  ctx.redirect(url);
}
