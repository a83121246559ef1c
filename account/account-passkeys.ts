/**
 * Passkeys on /account/passkeys: the list (name, added, last used, synced or on one device, the
 * authenticator's name where its AAGUID is known), add, rename, remove. Changes need a recent
 * sign-in (ACCOUNT_REAUTH_WINDOW), as the second factors do; the last way to sign in is never
 * removed (server/modules/auth decides). The registration options come as JSON for the page
 * script (public/passkeys.js); its response comes back as a form field.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { PASSKEY_NAME_MAX, type Passkeys } from '../server/modules/auth/index.js';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { formBody } from '../server/http/browser/form-body.js';
import { seeOther } from '../server/http/browser/render.js';
import { isFresh, signedIn, signInUrl, type SignedIn } from './account-session.js';
import type { SelfServiceDeps } from './deps.js';
import { localeOf, renderSelfService, requestContext } from './page.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;
const PAGE = '/account/passkeys';
const name = z.string().max(PASSKEY_NAME_MAX * 4);
const addForm = z.object({ csrf: z.string(), response: z.string().min(2).max(12_000), name: name.optional() });
const renameForm = z.object({ csrf: z.string(), name });
const NOTICES = new Set(['added', 'renamed', 'removed']);
const ERRORS = new Set(['invalid', 'not_allowed', 'last']);

async function showPasskeys(ctx: Context, deps: SelfServiceDeps, passkeys: Passkeys, who: SignedIn) {
  const locale = localeOf(ctx, deps.renderer);
  const date = (ms: number | null) => (ms === null ? null : new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(ms));
  const done = typeof ctx.query.done === 'string' && NOTICES.has(ctx.query.done) ? ctx.query.done : undefined;
  const error = typeof ctx.query.error === 'string' && ERRORS.has(ctx.query.error) ? ctx.query.error : undefined;
  if (error) ctx.status = 400;
  renderSelfService(ctx, deps.renderer, 'account/passkeys', {
    titleId: 'passkeys.title',
    fresh: isFresh(who.session, deps),
    reauthHref: signInUrl(PAGE, true),
    notice: done ? `passkeys.done.${done}` : undefined,
    error: error ? `passkeys.error.${error}` : undefined,
    passkeys: (await passkeys.list(who.user.id)).map((p) => ({ ...p, created: date(p.createdAt), lastUsed: date(p.lastUsedAt) })),
  });
}

type Handler = (ctx: Context, who: SignedIn, passkeys: Passkeys, body: Record<string, unknown>) => Promise<void>;

/** CSRF, a session, a recent sign-in, passkeys on: then the handler. */
function passkeyAction(deps: SelfServiceDeps, handler: Handler) {
  return async (ctx: Context) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const who = await signedIn(ctx, deps);
    if (!who) return seeOther(ctx, signInUrl(PAGE));
    if (!isFresh(who.session, deps)) return seeOther(ctx, signInUrl(PAGE, true));
    if (!deps.passkeys) return seeOther(ctx, '/account');
    await handler(ctx, who, deps.passkeys, body);
  };
}

export function registerAccountPasskeys(router: Router, deps: SelfServiceDeps): void {
  if (!deps.passkeys) return;
  const facts = (ctx: Context) => requestContext(ctx, deps.renderer).facts;
  const key = (who: SignedIn) => `account:${who.user.id}`;

  router.get(PAGE, async (ctx) => {
    const who = await signedIn(ctx, deps);
    if (!who) return ctx.redirect(signInUrl(PAGE));
    await showPasskeys(ctx, deps, deps.passkeys!, who);
  });

  // JSON for the page script; a stale sign-in gets 401 and the page offers "confirm it's you".
  router.post(`${PAGE}/options`, async (ctx) => {
    assertCsrf(ctx, formBody(ctx).csrf);
    const who = await signedIn(ctx, deps);
    ctx.set('Cache-Control', 'no-store');
    if (!who || !isFresh(who.session, deps)) {
      ctx.status = 401;
      ctx.type = 'application/problem+json';
      ctx.body = { type: 'about:blank', title: 'A recent sign-in is needed to add a passkey', status: 401 };
      return;
    }
    ctx.body = await deps.passkeys!.registrationOptions(key(who), { id: who.user.id, username: who.user.username, displayName: who.user.profile.name });
  });

  router.post(PAGE, passkeyAction(deps, async (ctx, who, passkeys, body) => {
    const form = addForm.safeParse(body);
    let response: unknown;
    try {
      response = form.success ? JSON.parse(form.data.response) : undefined;
    } catch {
      response = undefined;
    }
    const result = response === undefined ? { ok: false as const, reason: 'invalid_response' as const } : await passkeys.register(key(who), who.user.id, response, form.data?.name, facts(ctx));
    if (result.ok) return seeOther(ctx, `${PAGE}?done=added`);
    seeOther(ctx, `${PAGE}?error=${result.reason === 'authenticator_not_allowed' ? 'not_allowed' : 'invalid'}`);
  }));

  router.post(`${PAGE}/:id/rename`, passkeyAction(deps, async (ctx, who, passkeys, body) => {
    const id = ctx.params.id ?? '';
    const form = renameForm.safeParse(body);
    if (!ID.test(id) || !form.success) return seeOther(ctx, `${PAGE}?error=invalid`);
    await passkeys.rename(who.user.id, id, form.data.name, facts(ctx));
    seeOther(ctx, `${PAGE}?done=renamed`);
  }));

  router.post(`${PAGE}/:id/remove`, passkeyAction(deps, async (ctx, who, passkeys) => {
    const id = ctx.params.id ?? '';
    const result = ID.test(id) ? await passkeys.remove(who.user.id, id, facts(ctx)) : 'not_found';
    seeOther(ctx, result === 'last' ? `${PAGE}?error=last` : `${PAGE}?done=removed`);
  }));
}
