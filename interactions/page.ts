/**
 * Shared rendering of interaction pages: no caching, a form-action CSP naming the client's
 * origins, and the page language from the request's `ui_locales` (OIDC Core §3.1.2.1), else the
 * browser's Accept-Language.
 */
import type { Context } from 'koa';
import { cspWithFormTargets } from '../server/http/middleware/security-headers.js';
import { negotiateLocale, type Translate } from '../server/shared/i18n.js';
import type { Renderer } from '../server/shared/rendering.js';
import type { PendingInteraction } from './gateway.js';

export function localeOf(ctx: Context, renderer: Renderer, interaction: PendingInteraction): string {
  const uiLocales = typeof interaction.params.ui_locales === 'string' ? interaction.params.ui_locales : undefined;
  return negotiateLocale(ctx, renderer.locales, uiLocales);
}

/** The translator of this interaction's page language, for messages built in route code. */
export function translatorFor(ctx: Context, renderer: Renderer, interaction: PendingInteraction): Translate {
  return renderer.translator(localeOf(ctx, renderer, interaction));
}

/** The page title: a message id (translated here, with the client name available as {{client}}) or ready text. */
export type PageTitle = { titleId: string; titleValues?: Record<string, string> } | { title: string };

/**
 * @param data.titleId message id of the page title (also used for <title>); or `title`, text already translated.
 */
export function renderInteractionPage(
  ctx: Context,
  renderer: Renderer,
  interaction: PendingInteraction,
  template: string,
  data: Record<string, unknown> & PageTitle,
): void {
  const origins = new Set(interaction.client.redirectUris.map((uri) => URL.parse(uri)?.origin).filter((o): o is string => !!o && o !== 'null'));
  const locale = localeOf(ctx, renderer, interaction);
  const heading = data as PageTitle;
  ctx.set('Content-Security-Policy', cspWithFormTargets(origins));
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  ctx.body = renderer.render(template, {
    ...data,
    title: 'titleId' in heading ? renderer.translator(locale)(heading.titleId, { client: interaction.client.name, ...heading.titleValues }) : heading.title,
    locale,
    clientName: interaction.client.name,
  });
}

/** POST → GET redirect (303) back into the provider. */
export function continueTo(ctx: Context, url: string): void {
  ctx.status = 303;
  ctx.redirect(url);
}

/** The parsed form body of an interaction POST (the router's body parser fills it). */
export function formBody(ctx: Context): Record<string, unknown> | undefined {
  return (ctx.request as unknown as { body?: Record<string, unknown> }).body;
}

/** Request facts for audit records. */
export function factsOf(ctx: Context, interaction?: PendingInteraction) {
  return {
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || undefined,
    requestId: ctx.state.requestId as string | undefined,
    ...(interaction ? { clientId: interaction.client.clientId } : {}),
  };
}
