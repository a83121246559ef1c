/**
 * The provider's own pages (errors, logout) rendered with our templates. Error pages show the
 * OAuth error code and description for client errors, and a generic message for server errors,
 * never internals.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Renderer } from '../shared/rendering.js';
import { negotiateLocale } from '../shared/i18n.js';
import { isStoreOutage } from '../shared/outage.js';

/** The page language: the request's ui_locales when the provider parsed them, else Accept-Language. */
function localeOf(ctx: KoaContextWithOIDC, renderer: Renderer): string {
  const uiLocales = (ctx.oidc?.params as { ui_locales?: unknown } | undefined)?.ui_locales;
  return negotiateLocale(ctx, renderer.locales, typeof uiLocales === 'string' ? uiLocales : undefined);
}

export interface ProviderPages {
  renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: Error): Promise<void>;
  logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void>;
  postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void>;
}

/** Only a web address may become a link on the page. */
const webAddress = (value: unknown): string | undefined => (typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined);

/** @param options.development adds what helps a developer and would help an attacker: the registered redirect URIs. */
export function pagesWith(renderer: Renderer, options: { development?: boolean } = {}): ProviderPages {
  return {
    async renderError(ctx, out, error) {
      // An outage that reached the provider unmapped is still a 503 page, not "something went wrong".
      const unavailable = out.error === 'temporarily_unavailable' || isStoreOutage(error);
      if (unavailable) ctx.status = 503;
      const serverError = ctx.status >= 500;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      const locale = localeOf(ctx, renderer);
      const t = renderer.translator(locale);
      // What the person can do, in their language; the provider's description (technical,
      // English) stays below it for the application's developer.
      const explained = serverError ? '' : t(`errors.messages.${out.error}`, { defaultValue: '' });
      const client = ctx.oidc?.client;
      ctx.body = renderer.render('errors/error', {
        title: t('errors.title'),
        locale,
        serverError,
        unavailable,
        message: serverError ? undefined : explained || out.error_description,
        detail: explained ? out.error_description : undefined,
        registeredRedirectUris: options.development && out.error === 'invalid_redirect_uri' ? client?.redirectUris : undefined,
        clientUri: serverError ? undefined : webAddress(client?.clientUri),
        clientName: client?.clientName,
        code: unavailable ? 'temporarily_unavailable' : out.error,
        requestId: ctx.state.requestId,
      });
    },
    async logoutSource(ctx, form) {
      ctx.type = 'html';
      const locale = localeOf(ctx, renderer);
      ctx.body = renderer.render('oidc/logout', {
        title: renderer.translator(locale)('logout.title'),
        locale,
        form,
        host: ctx.host,
        clientName: ctx.oidc.client?.clientName,
      });
    },
    async postLogoutSuccessSource(ctx) {
      ctx.type = 'html';
      const locale = localeOf(ctx, renderer);
      const client = ctx.oidc.client;
      // Where to go next: the app's home (client_uri), signing in to it again (initiate_login_uri,
      // OIDC Core §4), or, for no app, the account pages (which start a sign-in).
      ctx.body = renderer.render('oidc/logout-success', {
        title: renderer.translator(locale)('logout.doneTitle'),
        locale,
        clientName: client?.clientName,
        appHref: webAddress(client?.clientUri),
        signInHref: webAddress(client?.initiateLoginUri) ?? '/account',
      });
    },
  };
}
