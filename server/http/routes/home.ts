/**
 * What `/` shows. In development: a start page linking what the server offers and a built-in
 * demo sign-in — /demo/start sends the browser through a real authorization code flow with PKCE
 * for the demo SPA client, and /demo/callback shows the code, exchanges it and shows the tokens,
 * so nobody has to race a 60-second code into curl. Elsewhere: a redirect to HOME_URL, or a
 * minimal page with the product name and a way to the account.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { clearCookie, readCookie, writeCookie, type CookieSpec } from '../browser/signed-cookie.js';
import { pageLocale, renderPage } from '../browser/render.js';
import type { Renderer } from '../../shared/rendering.js';
import { DEV_MAILBOX_PATH, mailboxRoute, type MailboxMessage } from './dev-mailbox.js';
import type { DemoRelyingParty, PendingDemo } from '../../shared/demo-relying-party.js';

export interface HomeDeps {
  renderer: Renderer;
  development: boolean;
  issuer: string;
  /** Production: where / redirects. */
  homeUrl: string | undefined;
  /** Development with the demo clients: the demo sign-in. */
  demo: DemoRelyingParty | undefined;
  /** Where the admin API is described (the reference page, else its OpenAPI document). */
  apiReference: string;
  /** Development with a log channel: the printed messages /dev/mailbox lists. */
  mailbox?: { latest(): readonly MailboxMessage[] };
}

const DEMO_COOKIE: CookieSpec = { name: 'demo_login', path: '/demo', maxAgeMs: 10 * 60 * 1000 };

const isPending = (value: unknown): PendingDemo | undefined => {
  const o = value as Partial<PendingDemo> | undefined;
  return typeof o?.state === 'string' && typeof o.nonce === 'string' && typeof o.verifier === 'string' ? (o as PendingDemo) : undefined;
};

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

export function homeRoutes(deps: HomeDeps): Router {
  const router = new Router();
  const locale = (ctx: Context) => pageLocale(ctx, deps.renderer);

  router.get('/', (ctx) => {
    if (deps.development) {
      return renderPage(ctx, deps.renderer, 'home/landing', { titleId: 'home.runningTitle', demo: deps.demo ? { clientId: deps.demo.clientId } : undefined, apiReference: deps.apiReference, mailbox: deps.development && deps.mailbox ? DEV_MAILBOX_PATH : undefined }, { locale: locale(ctx) });
    }
    if (deps.homeUrl) return ctx.redirect(deps.homeUrl);
    renderPage(ctx, deps.renderer, 'home/home', { title: deps.renderer.translator(locale(ctx))('home.account') }, { locale: locale(ctx) });
  });

  if (deps.development && deps.mailbox) mailboxRoute(router, { renderer: deps.renderer, latest: deps.mailbox.latest });

  const demo = deps.development ? deps.demo : undefined;
  if (!demo) return router;

  router.get('/demo/start', async (ctx) => {
    const { url, pending } = await demo.start();
    writeCookie(ctx, DEMO_COOKIE, pending);
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(url);
  });

  router.get('/demo/callback', async (ctx) => {
    const pending = readCookie(ctx, DEMO_COOKIE, isPending);
    if (!pending) {
      ctx.status = 400;
      return renderPage(ctx, deps.renderer, 'home/demo-result', { titleId: 'home.demoExpiredTitle', failure: { error: 'no_demo_in_progress', description: deps.renderer.translator(locale(ctx))('home.demoExpired') } }, { locale: locale(ctx) });
    }
    clearCookie(ctx, DEMO_COOKIE);
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : undefined;
    const outcome = await demo.finish(new URL(ctx.originalUrl, deps.issuer), pending);
    if (!outcome.ok) {
      ctx.status = 400;
      return renderPage(ctx, deps.renderer, 'home/demo-result', { titleId: 'home.demoFailedTitle', code, failure: { error: outcome.error, description: outcome.description } }, { locale: locale(ctx) });
    }
    const sections = [
      { headingId: 'home.demoTokens', json: pretty(outcome.tokens) },
      ...(outcome.idTokenClaims ? [{ headingId: 'home.demoIdToken', textId: 'home.demoIdTokenText', json: pretty(outcome.idTokenClaims) }] : []),
      ...(outcome.accessTokenClaims ? [{ headingId: 'home.demoAccessToken', json: pretty(outcome.accessTokenClaims) }] : []),
      ...(outcome.userinfo ? [{ headingId: 'home.demoUserinfo', json: pretty(outcome.userinfo) }] : []),
    ];
    renderPage(ctx, deps.renderer, 'home/demo-result', { titleId: 'home.demoTitle', wide: true, clientId: demo.clientId, code, sections }, { locale: locale(ctx) });
  });
  return router;
}
