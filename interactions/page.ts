/** Shared rendering of interaction pages: no caching, a form-action CSP naming the client's origins. */
import type { Context } from 'koa';
import { cspWithFormTargets } from '../server/http/middleware/security-headers.js';
import type { Renderer } from '../server/http/views.js';
import type { PendingInteraction } from './gateway.js';

export function renderInteractionPage(
  ctx: Context,
  renderer: Renderer,
  interaction: PendingInteraction,
  template: string,
  data: Record<string, unknown> & { title: string },
): void {
  const origins = new Set(interaction.client.redirectUris.map((uri) => URL.parse(uri)?.origin).filter((o): o is string => !!o && o !== 'null'));
  ctx.set('Content-Security-Policy', cspWithFormTargets(origins));
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'html';
  ctx.body = renderer.render(template, { ...data, clientName: interaction.client.name });
}

/** POST → GET redirect (303) back into the provider. */
export function continueTo(ctx: Context, url: string): void {
  ctx.status = 303;
  ctx.redirect(url);
}
