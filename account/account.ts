/**
 * The /account pages: one page with sections (profile, email, phone, password, sessions, apps),
 * each form posting to its own route, answering with 303 back to the page and a notice, or with
 * the page and its errors. Changes that would let a session thief take the account over (email,
 * phone, sessions, apps, MFA) need a recent sign-in (ACCOUNT_REAUTH_WINDOW); a password change
 * needs the current password instead.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError, isAppError } from '../server/shared/errors.js';
import { changeOwnPassword, endSession, removePhone, revokeApp, sendVerification, setPhone, startEmailChange, updateProfile, verifyByCode } from '../server/modules/self-service/index.js';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { isFresh, signedIn, signInUrl, type SignedIn } from './account-session.js';
import { accountView, noticeOf, type AccountExtras } from './account-view.js';
import { accountHref, cursorsOf } from './list-pages.js';
import type { SelfServiceDeps } from './deps.js';
import { fieldErrors, renderSelfService, requestContext } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { seeOther } from '../server/http/browser/render.js';

const text = (max: number) => z.string().max(max).optional();
const profileForm = z.object({ csrf: z.string(), name: text(200), given_name: text(100), family_name: text(100), nickname: text(100) });
const passwordForm = z.object({ csrf: z.string(), current: z.string().max(4096), password: z.string().max(4096), confirm: z.string().max(4096) });
const emailForm = z.object({ csrf: z.string(), email: z.string().max(320) });
const phoneForm = z.object({ csrf: z.string(), phone: z.string().max(40) });
const codeForm = z.object({ csrf: z.string(), code: z.string().max(20) });
const ID = /^[A-Za-z0-9_-]{1,128}$/;

async function showAccount(ctx: Context, deps: SelfServiceDeps, who: SignedIn, extras: AccountExtras = {}) {
  renderSelfService(ctx, deps.renderer, 'account/index', await accountView(ctx, deps, who, extras));
}

type Handler = (ctx: Context, who: SignedIn, body: Record<string, unknown>) => Promise<void>;

/** A POST of the account page: CSRF, a session (a recent one when `sensitive`), then the handler. */
function action(deps: SelfServiceDeps, sensitive: boolean, handler: Handler) {
  return async (ctx: Context) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const who = await signedIn(ctx, deps);
    if (!who) return seeOther(ctx, signInUrl('/account'));
    if (sensitive && !isFresh(who.session, deps)) return seeOther(ctx, signInUrl('/account', true));
    await handler(ctx, who, body);
  };
}

/** Shows the page with field errors for an invalid_input / invalid_credentials / rate_limited AppError; rethrows anything else. */
async function showProblem(ctx: Context, deps: SelfServiceDeps, who: SignedIn, error: unknown, values: Record<string, string> = {}) {
  if (!isAppError(error) || !['invalid_input', 'invalid_credentials', 'rate_limited'].includes(error.code)) throw error;
  ctx.status = error.status;
  const errors = error.code === 'rate_limited' ? { form: ['fields.rate_limited'] } : fieldErrors(error.details.fields);
  await showAccount(ctx, deps, who, { errors, values });
}

export function registerAccount(router: Router, deps: SelfServiceDeps): void {
  router.get('/account', async (ctx) => {
    const who = await signedIn(ctx, deps);
    if (!who) return ctx.redirect(signInUrl('/account'));
    await showAccount(ctx, deps, who, { notice: noticeOf(ctx.query.done) });
  });

  router.post('/account/profile', action(deps, false, async (ctx, who, body) => {
    const parsed = profileForm.safeParse(body);
    if (!parsed.success) return showProblem(ctx, deps, who, invalid('profile', 'invalid_form'));
    const { csrf: _csrf, ...changes } = parsed.data;
    await updateProfile(deps.services, who.user, changes, requestContext(ctx, deps.renderer));
    seeOther(ctx, '/account?done=profile');
  }));

  router.post('/account/password', action(deps, false, async (ctx, who, body) => {
    const parsed = passwordForm.safeParse(body);
    if (!parsed.success || parsed.data.password !== parsed.data.confirm) return showProblem(ctx, deps, who, invalid('password', 'password_mismatch'));
    try {
      await changeOwnPassword(deps.services, who.user, parsed.data.current, parsed.data.password, requestContext(ctx, deps.renderer));
    } catch (error) {
      return showProblem(ctx, deps, who, error);
    }
    seeOther(ctx, '/account?done=password');
  }));

  // Email verification and changes (EMAIL_VERIFICATION_ENABLED), phone numbers (PHONE_VERIFICATION_ENABLED): routes only when on.
  if (deps.options.emailVerification) {
    router.post('/account/email', action(deps, true, async (ctx, who, body) => {
      const parsed = emailForm.safeParse(body);
      if (!parsed.success) return showProblem(ctx, deps, who, invalid('email', 'invalid_email'));
      try {
        const sent = await startEmailChange(deps.services, who.user, parsed.data.email, requestContext(ctx, deps.renderer));
        if (!sent.sent) return showProblem(ctx, deps, who, limited(sent.decision.retryAfterSeconds), { email: parsed.data.email });
      } catch (error) {
        return showProblem(ctx, deps, who, error, { email: parsed.data.email });
      }
      seeOther(ctx, '/account?done=email_sent#email');
    }));
  }

  // Codes typed on the account page: for a new email, for the current (unverified) email, for the phone.
  const codeRoutes = [
    ...(deps.options.emailVerification ? [['/account/email/verify', 'change_email', 'email'], ['/account/email/confirm', 'verify_email', 'email_verified']] as const : []),
    ...(deps.options.phoneVerification ? [['/account/phone/verify', 'verify_phone', 'phone']] as const : []),
  ];
  for (const [path, kind, done] of codeRoutes) {
    router.post(path, action(deps, false, async (ctx, who, body) => {
      const parsed = codeForm.safeParse(body);
      const pending = await deps.services.flows.findPending(who.user.id, kind);
      let result;
      try {
        result = parsed.success && pending
          ? await verifyByCode(deps.services, pending.id, parsed.data.code, requestContext(ctx, deps.renderer), who.user.id)
          : { outcome: 'wrong_code' as const };
      } catch (error) {
        return showProblem(ctx, deps, who, error);
      }
      if (result.outcome === 'verified') return seeOther(ctx, `/account?done=${done}`);
      return showProblem(ctx, deps, who, invalid(kind, result.outcome === 'wrong_code' ? 'wrong_code' : 'code_spent'));
    }));
  }

  if (deps.options.emailVerification) {
    router.post('/account/email/resend', action(deps, false, async (ctx, who) => {
      const { user } = who;
      if (!user.email || user.emailVerified) return seeOther(ctx, '/account');
      const sent = await sendVerification(deps.services, { kind: 'verify_email', user, target: user.email }, requestContext(ctx, deps.renderer));
      if (!sent.sent) return showProblem(ctx, deps, who, limited(sent.decision.retryAfterSeconds));
      seeOther(ctx, '/account?done=email_sent#email');
    }));
  }

  if (deps.options.phoneVerification) {
    router.post('/account/phone', action(deps, true, async (ctx, who, body) => {
      const parsed = phoneForm.safeParse(body);
      if (!parsed.success) return showProblem(ctx, deps, who, invalid('phone', 'invalid_phone'));
      try {
        const sent = await setPhone(deps.services, who.user, parsed.data.phone, requestContext(ctx, deps.renderer));
        if (!sent.sent) return showProblem(ctx, deps, who, limited(sent.decision.retryAfterSeconds), { phone: parsed.data.phone });
      } catch (error) {
        return showProblem(ctx, deps, who, error, { phone: parsed.data.phone });
      }
      seeOther(ctx, '/account?done=phone_sent#phone');
    }));

    router.post('/account/phone/remove', action(deps, true, async (ctx, who) => {
      await removePhone(deps.services, who.user, requestContext(ctx, deps.renderer));
      seeOther(ctx, '/account?done=phone_removed#phone');
    }));
  }

  router.post('/account/sessions/:id/end', action(deps, true, async (ctx, who) => {
    const id = ctx.params.id ?? '';
    if (ID.test(id)) await endSession(deps.services, who.user, id, requestContext(ctx, deps.renderer));
    // Back to the same pages of both lists.
    seeOther(ctx, id === who.session.id ? '/account' : accountHref(cursorsOf(ctx.query), { done: 'session' }, '#sessions'));
  }));

  router.post('/account/apps/:id/revoke', action(deps, true, async (ctx, who) => {
    const id = ctx.params.id ?? '';
    if (ID.test(id)) await revokeApp(deps.services, who.user, id, requestContext(ctx, deps.renderer));
    seeOther(ctx, accountHref(cursorsOf(ctx.query), { done: 'app' }, '#apps'));
  }));
}

function invalid(field: string, message: string): AppError {
  return new AppError('invalid_input', message, { fields: [{ field, message }] });
}

function limited(retryAfterSeconds: number): AppError {
  return new AppError('rate_limited', 'too many messages', { retryAfterSeconds });
}
