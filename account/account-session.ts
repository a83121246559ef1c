/**
 * How /account knows who is there. The account pages are a first-party app of this provider:
 * the provider's own browser session (read through the gateway) is the /account session, so
 * signing out at the provider, ending the session from the list, or a password reset ends it
 * too, and there is no second session to keep in step. When there is none — or when a sensitive
 * change needs a sign-in more recent than ACCOUNT_REAUTH_WINDOW — the browser goes through a
 * real authorization code flow with PKCE for the built-in `account-console` client (seeded at
 * every start), with `prompt=login` for a re-authentication. The callback checks `state`, redeems
 * the code in-process (PKCE S256, single use) and requires it to belong to the browser's current
 * session: so the sign-in page, MFA, lockout and every login rule apply to /account unchanged.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { createHash, randomBytes } from 'node:crypto';
import { epochSeconds, systemClock } from '../server/shared/clock.js';
import type { User } from '../server/modules/users/index.js';
import type { BrowserSession } from '../interactions/gateway.js';
import type { SelfServiceDeps } from './deps.js';
import { localeOf, renderMessage } from './page.js';
import { clearCookie, readCookie, writeCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';

const LOGIN_COOKIE: CookieSpec = { name: 'account_login', path: '/account', maxAgeMs: 15 * 60 * 1000 };

interface PendingLogin {
  state: string;
  verifier: string;
  returnTo: string;
}

const isPending = (v: unknown): PendingLogin | undefined => {
  const o = v as Partial<PendingLogin>;
  return typeof o?.state === 'string' && typeof o.verifier === 'string' && typeof o.returnTo === 'string' ? (o as PendingLogin) : undefined;
};

/** Only our own account pages: an open redirect through the callback is not possible. */
function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/account(\/[A-Za-z0-9/_-]*)?(#[a-z-]+)?$/.test(value) ? value : '/account';
}

export const callbackUrl = (issuer: string) => `${issuer}/account/callback`;

export interface SignedIn {
  session: BrowserSession;
  user: User;
}

/** The signed-in account, or undefined (no session, or its account is gone or disabled). */
export async function signedIn(ctx: Context, deps: SelfServiceDeps): Promise<SignedIn | undefined> {
  const session = await deps.sessions.current(ctx);
  if (!session) return undefined;
  const user = await deps.services.users.findById(session.accountId);
  if (!user || user.disabled) return undefined;
  return { session, user };
}

/** Whether the sign-in is recent enough for a sensitive change. */
export function isFresh(session: BrowserSession, deps: SelfServiceDeps): boolean {
  return session.loginTs !== undefined && epochSeconds(systemClock.now()) - session.loginTs <= deps.options.reauthWindowSeconds;
}

export function signInUrl(returnTo: string, reauth = false): string {
  return `/account/login?${new URLSearchParams({ return: returnTo, ...(reauth ? { reauth: '1' } : {}) })}`;
}

export function registerAccountSession(router: Router, deps: SelfServiceDeps): void {
  router.get('/account/login', (ctx) => {
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    writeCookie(ctx, LOGIN_COOKIE, { state, verifier, returnTo: safeReturn(ctx.query.return) } satisfies PendingLogin);
    const params = new URLSearchParams({
      client_id: deps.options.accountClientId,
      response_type: 'code',
      redirect_uri: callbackUrl(deps.options.issuer),
      scope: 'openid',
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ui_locales: localeOf(ctx, deps.renderer),
    });
    if (ctx.query.reauth === '1') params.set('prompt', 'login');
    ctx.redirect(`/auth?${params}`);
  });

  router.get('/account/callback', async (ctx) => {
    const pending = readCookie(ctx, LOGIN_COOKIE, isPending);
    clearCookie(ctx, LOGIN_COOKIE);
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const code = typeof ctx.query.code === 'string' ? ctx.query.code : '';
    if (!pending || state !== pending.state || !code) {
      ctx.status = 400;
      return renderMessage(ctx, deps.renderer, { titleId: 'account.signInFailedTitle', textId: 'account.signInFailed', link: { href: '/account/login', labelId: 'account.signIn' } });
    }
    const redeemed = await deps.sessions.redeemCode(code, { clientId: deps.options.accountClientId, redirectUri: callbackUrl(deps.options.issuer), verifier: pending.verifier });
    const session = await deps.sessions.current(ctx);
    if (!redeemed || !session || redeemed.sessionUid !== session.uid || redeemed.accountId !== session.accountId) {
      ctx.status = 400;
      return renderMessage(ctx, deps.renderer, { titleId: 'account.signInFailedTitle', textId: 'account.signInFailed', link: { href: '/account/login', labelId: 'account.signIn' } });
    }
    ctx.redirect(pending.returnTo);
  });
}
