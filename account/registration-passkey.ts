/**
 * The second half of "Sign up with a passkey" (PASSKEYS_ENABLED and SIGNUP_ENABLED): once the
 * new account's email is verified in the browser that signed up, that browser creates the
 * account's passkey. The sign-up itself ran as any sign-up (register.ts: same answer and same
 * work whether or not the address had an account), so nothing here is reached for a taken
 * address: its account id was never created. Bound by the signed sign-up cookie (this browser,
 * this account, `p` set) and by the account itself: verified, without a password and without a
 * passkey — so the cookie can add the first credential of an account it created, never one more.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Passkeys } from '../server/modules/auth/index.js';
import type { User } from '../server/modules/users/index.js';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { formBody } from '../server/http/browser/form-body.js';
import { seeOther } from '../server/http/browser/render.js';
import { clearCookie } from '../server/http/browser/signed-cookie.js';
import type { SelfServiceDeps } from './deps.js';
import { renderMessage, renderSelfService, requestContext } from './page.js';
import { readSignup, SIGNUP_COOKIE } from './signup-cookie.js';

export const PASSKEY_PAGE = '/account/register/passkey';
const responseForm = z.object({ csrf: z.string(), response: z.string().min(2).max(12_000) });

type Middleware = (ctx: Context, next: () => Promise<unknown>) => Promise<unknown>;

export function registerSignupPasskey(router: Router, deps: SelfServiceDeps, passkeys: Passkeys, enabled: Middleware): void {
  const key = (user: User) => `signup:${user.id}`;

  /** The account this browser signed up with a passkey, while it still needs its first one. */
  async function pending(ctx: Context): Promise<User | undefined> {
    const signup = readSignup(ctx);
    if (!signup?.p || !signup.u) return undefined;
    const user = await deps.services.users.findById(signup.u);
    if (!user?.emailVerified || user.disabled) return undefined;
    const [password, existing] = await Promise.all([deps.services.credentials.findPassword(user.id), passkeys.list(user.id)]);
    return password || existing.length ? undefined : user;
  }

  function show(ctx: Context, error?: string) {
    renderSelfService(ctx, deps.renderer, 'account/register-passkey', {
      titleId: 'passkeys.signupTitle',
      action: PASSKEY_PAGE,
      options: `${PASSKEY_PAGE}/options`,
      error,
    });
  }

  router.get(PASSKEY_PAGE, enabled, async (ctx) => {
    if (!(await pending(ctx))) return ctx.redirect('/account/register');
    show(ctx);
  });

  // JSON for the page script (public/passkeys.js).
  router.post(`${PASSKEY_PAGE}/options`, enabled, async (ctx) => {
    assertCsrf(ctx, formBody(ctx).csrf);
    const user = await pending(ctx);
    ctx.set('Cache-Control', 'no-store');
    if (!user) {
      ctx.status = 409;
      ctx.type = 'application/problem+json';
      ctx.body = { type: 'about:blank', title: 'No sign-up waits for a passkey in this browser', status: 409 };
      return;
    }
    ctx.body = await passkeys.registrationOptions(key(user), { id: user.id, username: user.username, displayName: user.profile.name });
  });

  router.post(PASSKEY_PAGE, enabled, async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const user = await pending(ctx);
    if (!user) return seeOther(ctx, '/account/register');
    const form = responseForm.safeParse(body);
    let response: unknown;
    try {
      response = form.success ? JSON.parse(form.data.response) : undefined;
    } catch {
      response = undefined;
    }
    const result = response === undefined ? undefined : await passkeys.register(key(user), user.id, response, undefined, requestContext(ctx, deps.renderer).facts);
    if (!result?.ok) {
      ctx.status = response === undefined ? 400 : 401;
      return show(ctx, result?.reason === 'authenticator_not_allowed' ? 'passkeys.error.not_allowed' : 'passkeys.error.invalid');
    }
    const interaction = readSignup(ctx)?.i;
    clearCookie(ctx, SIGNUP_COOKIE);
    // Started from a sign-in page: back to it, where the new passkey signs in (usernameless).
    if (interaction) return seeOther(ctx, `/interaction/${interaction}`);
    renderMessage(ctx, deps.renderer, { titleId: 'passkeys.signupDoneTitle', textId: 'passkeys.signupDone', link: { href: '/account', labelId: 'signup.toAccount' } });
  });
}
