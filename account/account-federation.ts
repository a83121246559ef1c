/**
 * Sign-in providers on /account: link an upstream OpenID Provider (the same upstream request as at
 * sign-in, bound to the signed-in user instead of an interaction) and unlink one — never the
 * last way to sign in. Both need a recent sign-in (ACCOUNT_REAUTH_WINDOW), like every change a
 * session thief could use to keep access. The "link" button is a plain link, as on the sign-in
 * page: its only effect is an upstream sign-in in this same browser, and the page's CSP need not
 * name the upstream as a form target.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { isFresh, signedIn, signInUrl } from './account-session.js';
import type { SelfServiceDeps } from './deps.js';
import { requestContext } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { seeOther } from '../server/http/browser/render.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** Notices after a link or unlink (?done=…), as message ids. */
export const FEDERATION_NOTICES: Record<string, string> = {
  fed_linked: 'federation.account.linkedNotice',
  fed_unlinked: 'federation.account.unlinked',
  fed_last: 'federation.account.lastMethod',
  fed_taken: 'federation.account.taken',
  fed_failed: 'federation.account.failed',
};

/** What the account page's "sign-in providers" section shows (undefined: no upstream configured, none linked). */
export async function federationView(deps: SelfServiceDeps, userId: string, when: (d: Date) => string) {
  const fed = deps.federation;
  if (!fed) return undefined;
  const providers = fed.federation?.providers ?? [];
  const { identities } = await fed.linked.list(userId);
  if (!providers.length && !identities.length) return undefined;
  const nameOf = (id: string) => providers.find((p) => p.id === id)?.name ?? id;
  return {
    identities: identities.map((i) => ({ id: i.id, provider: nameOf(i.providerId), email: i.email ?? '', since: when(i.createdAt) })),
    available: providers.filter((p) => !identities.some((i) => i.providerId === p.id)).map((p) => ({ ...p, href: `/account/federation/${p.id}/link` })),
  };
}

export function registerAccountFederation(router: Router, deps: SelfServiceDeps): void {
  const fed = deps.federation;
  if (!fed) return;
  const facts = (ctx: Context) => requestContext(ctx, deps.renderer).facts;

  router.get('/account/federation/:provider/link', async (ctx) => {
    const who = await signedIn(ctx, deps);
    if (!who) return seeOther(ctx, signInUrl('/account'));
    if (!isFresh(who.session, deps)) return seeOther(ctx, signInUrl('/account', true));
    const provider = fed.federation?.providers.find((p) => p.id === ctx.params.provider);
    if (!provider || !fed.federation) return seeOther(ctx, '/account#federation');
    try {
      const url = await fed.federation.start(provider.id, { userId: who.user.id }, facts(ctx));
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(url.href);
    } catch {
      seeOther(ctx, '/account?done=fed_failed#federation');
    }
  });

  // ISSUER/federation/callback sends a link started here to this path (interactions/federation.ts).
  router.get('/account/federation/return', async (ctx) => {
    const who = await signedIn(ctx, deps);
    if (!who || !fed.federation) return seeOther(ctx, signInUrl('/account'));
    const outcome = await fed.federation.callback(new URL(`http://callback/?${ctx.querystring}`), { userId: who.user.id }, facts(ctx));
    const done = outcome.kind === 'linked' ? 'fed_linked' : outcome.kind === 'refused' ? 'fed_taken' : 'fed_failed';
    seeOther(ctx, `/account?done=${done}#federation`);
  });

  router.post('/account/federation/:id/unlink', async (ctx) => {
    assertCsrf(ctx, formBody(ctx).csrf);
    const who = await signedIn(ctx, deps);
    if (!who) return seeOther(ctx, signInUrl('/account'));
    if (!isFresh(who.session, deps)) return seeOther(ctx, signInUrl('/account', true));
    const id = ctx.params.id ?? '';
    const result = ID.test(id) ? await fed.linked.unlink(who.user.id, id, facts(ctx)) : 'not_found';
    if (result === 'last_method') ctx.status = 409;
    seeOther(ctx, `/account?done=${result === 'last_method' ? 'fed_last' : result === 'unlinked' ? 'fed_unlinked' : 'fed_failed'}#federation`);
  });
}
