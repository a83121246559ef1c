/**
 * What interaction pages add to the browser kit (server/http/browser): the page language from the
 * request's `ui_locales`, form targets from the client's redirect origins, the client's name, and
 * the client id in audit facts.
 */
import type { Context } from 'koa';
import type { Translate } from '../server/shared/i18n.js';
import type { Renderer } from '../server/shared/rendering.js';
import { pageLocale, renderPage, type PageTitle } from '../server/http/browser/render.js';
import { requestFacts } from '../server/http/browser/request-facts.js';
import type { PendingInteraction } from './gateway.js';

// Interaction pages continue the sign-in with a 303 (the kit's seeOther under its old name here).
export { seeOther as continueTo, type PageTitle } from '../server/http/browser/render.js';

export function localeOf(ctx: Context, renderer: Renderer, interaction: PendingInteraction): string {
  const uiLocales = typeof interaction.params.ui_locales === 'string' ? interaction.params.ui_locales : undefined;
  return pageLocale(ctx, renderer, uiLocales);
}

/** The translator of this interaction's page language, for messages built in route code. */
export function translatorFor(ctx: Context, renderer: Renderer, interaction: PendingInteraction): Translate {
  return renderer.translator(localeOf(ctx, renderer, interaction));
}

/**
 * @param data.titleId message id of the page title (also used for <title>), with the client name
 * available as {{client}}; or `title`, text already translated.
 */
export function renderInteractionPage(
  ctx: Context,
  renderer: Renderer,
  interaction: PendingInteraction,
  template: string,
  data: Record<string, unknown> & PageTitle,
): void {
  const origins = new Set(interaction.client.redirectUris.map((uri) => URL.parse(uri)?.origin).filter((o): o is string => !!o && o !== 'null'));
  const title: PageTitle = data;
  const heading: PageTitle = 'titleId' in title ? { titleId: title.titleId, titleValues: { client: interaction.client.name, ...title.titleValues } } : title;
  renderPage(ctx, renderer, template, { ...data, ...heading, clientName: interaction.client.name }, { locale: localeOf(ctx, renderer, interaction), formTargets: origins });
}

/** Request facts for audit records, with the client of this interaction. */
export function factsOf(ctx: Context, interaction?: PendingInteraction) {
  return { ...requestFacts(ctx), ...(interaction ? { clientId: interaction.client.clientId } : {}) };
}
