/**
 * Sign-up pages (only when SIGNUP_ENABLED): the form, the "check your email" page where
 * the code is typed, a resend button, and the link target. Started from a sign-in page
 * (`?interaction=<uid>`), a verified sign-up continues that authorization request signed in
 * (see registration-complete.ts); started on its own, it ends at a "verified" page.
 * The browser's flow (flow id, account id, interaction uid) lives in a signed cookie; the code
 * alone never finds a flow.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { isAppError } from '../server/shared/errors.js';
import { register, sendVerification, verifyByCode, verifyByLink, type VerifyResult } from '../server/modules/self-service/index.js';
import { assertCsrf } from '../server/http/browser/csrf.js';
import type { SelfServiceDeps } from './deps.js';
import { fieldErrors, renderMessage, renderSelfService, requestContext } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { seeOther } from '../server/http/browser/render.js';
import { clearCookie, writeCookie } from '../server/http/browser/signed-cookie.js';
import { readSignup, SIGNUP_COOKIE, type SignupCookie } from './signup-cookie.js';
import { PASSKEY_PAGE, registerSignupPasskey } from './registration-passkey.js';

export { readSignup, SIGNUP_COOKIE, type SignupCookie } from './signup-cookie.js';

const UID = /^[A-Za-z0-9_-]{1,64}$/;
const uidOf = (value: unknown) => (typeof value === 'string' && UID.test(value) ? value : undefined);

const form = z.object({
  csrf: z.string(),
  username: z.string().max(200),
  email: z.string().max(320),
  password: z.string().max(4096).optional(),
  method: z.literal('passkey').optional(),
  phone: z.string().max(40).optional(),
  interaction: z.string().max(64).optional(),
  /** "1": this sign-up replaces the one in this browser's cookie (a different address). */
  replace: z.literal('1').optional(),
});
const codeForm = z.object({ csrf: z.string(), code: z.string().max(20) });

function showForm(ctx: Context, deps: SelfServiceDeps, values: Record<string, string | undefined>, errors: Record<string, string[]> = {}) {
  renderSelfService(ctx, deps.renderer, 'account/register', {
    titleId: 'signup.title',
    values,
    phoneVerification: deps.options.phoneVerification,
    errors,
    minLength: deps.options.passwordMinLength,
    passkeys: !!deps.passkeys,
    backHref: values.interaction ? `/interaction/${values.interaction}` : '/account',
  });
}

/** The sign-up form again for a different address: the earlier answers but the password, marked as replacing that sign-up. */
function showChangeForm(ctx: Context, deps: SelfServiceDeps, signup: SignupCookie) {
  showForm(ctx, deps, { username: signup.n, email: signup.e, phone: signup.t, interaction: signup.i, replace: '1' });
}

function showCheckEmail(ctx: Context, deps: SelfServiceDeps, extra: { error?: string; notice?: string } = {}) {
  const signup = readSignup(ctx);
  renderSelfService(ctx, deps.renderer, 'account/check-email', {
    titleId: 'signup.checkTitle',
    email: typeof signup?.e === 'string' ? signup.e : '',
    // A wrong address: the sign-up form again (for the same sign-in), with the other answers but the password.
    changeHref: '/account/register/change',
    action: '/account/register/verify',
    resendAction: '/account/register/resend',
    ...extra,
  });
}

/** Where a verified sign-up goes next in this browser. */
function afterVerified(ctx: Context, deps: SelfServiceDeps, result: Extract<VerifyResult, { outcome: 'verified' }>) {
  const signup = readSignup(ctx);
  if (result.kind === 'verify_email' && signup?.u === result.userId && signup.p) return seeOther(ctx, PASSKEY_PAGE);
  if (result.kind === 'verify_email' && signup?.u === result.userId && signup.i) return seeOther(ctx, `/interaction/${signup.i}/registered`);
  if (signup?.u === result.userId) clearCookie(ctx, SIGNUP_COOKIE);
  const textId = result.kind === 'change_email' ? 'signup.emailChanged' : 'signup.verified';
  renderMessage(ctx, deps.renderer, { titleId: 'signup.verifiedTitle', textId, link: { href: '/account', labelId: 'signup.toAccount' } });
}

const CODE_ERRORS: Record<string, string> = {
  wrong_code: 'signup.wrongCode',
  locked: 'signup.codeSpent',
  expired: 'signup.codeSpent',
  invalid: 'signup.codeSpent',
  conflict: 'signup.codeSpent',
};

export function registerRegistration(router: Router, deps: SelfServiceDeps): void {
  const enabled = async (ctx: Context, next: () => Promise<unknown>) => {
    if (!deps.options.registration) {
      ctx.status = 404;
      return renderMessage(ctx, deps.renderer, { titleId: 'signup.closedTitle', textId: 'signup.closed' });
    }
    return next();
  };

  router.get('/account/register', enabled, (ctx) => showForm(ctx, deps, { interaction: uidOf(ctx.query.interaction) }));

  router.post('/account/register', enabled, async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const parsed = form.safeParse(body);
    if (!parsed.success) {
      ctx.status = 400;
      return showForm(ctx, deps, {}, { form: ['fields.invalid_form'] });
    }
    const { username, email } = parsed.data;
    // Without phone verification (PHONE_VERIFICATION_ENABLED=false) the form has no phone field.
    const phone = deps.options.phoneVerification ? parsed.data.phone : undefined;
    const interaction = uidOf(parsed.data.interaction);
    // Replacing needs the earlier sign-up's cookie: without it this is an ordinary sign-up.
    const earlier = parsed.data.replace ? readSignup(ctx) : undefined;
    const values = { username, email, phone, interaction, ...(earlier ? { replace: '1' } : {}) };
    // "Sign up with a passkey" (PASSKEYS_ENABLED): no password; the passkey follows the verification.
    const withPasskey = !!deps.passkeys && parsed.data.method === 'passkey';
    if (!withPasskey && parsed.data.password === undefined) {
      ctx.status = 400;
      return showForm(ctx, deps, values, { form: ['fields.invalid_form'] });
    }
    try {
      const password = withPasskey ? undefined : (parsed.data.password ?? '');
      const result = await register(deps.services, { username, email, password, phone, replacing: earlier?.u }, requestContext(ctx, deps.renderer));
      writeCookie(ctx, SIGNUP_COOKIE, {
        f: result.flowId,
        ...(result.userId ? { u: result.userId } : {}),
        ...(interaction ? { i: interaction } : {}),
        e: email.trim().slice(0, 320),
        n: username.slice(0, 200),
        ...(phone?.trim() ? { t: phone.trim().slice(0, 40) } : {}),
        ...(withPasskey ? { p: 1 } : {}),
      } satisfies SignupCookie);
      seeOther(ctx, '/account/register/verify');
    } catch (error) {
      if (!isAppError(error) || (error.code !== 'invalid_input' && error.code !== 'rate_limited')) throw error;
      ctx.status = error.status;
      if (error.code === 'rate_limited') ctx.set('Retry-After', String(error.details.retryAfterSeconds ?? 60));
      showForm(ctx, deps, values, error.code === 'rate_limited' ? { form: ['fields.rate_limited'] } : fieldErrors(error.details.fields));
    }
  });

  // "Use a different address" on the check-your-email page.
  router.get('/account/register/change', enabled, (ctx) => {
    const signup = readSignup(ctx);
    if (!signup) return ctx.redirect('/account/register');
    showChangeForm(ctx, deps, signup);
  });

  router.get('/account/register/verify', enabled, (ctx) => {
    if (!readSignup(ctx)) return ctx.redirect('/account/register');
    showCheckEmail(ctx, deps);
  });

  router.post('/account/register/verify', enabled, async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const signup = readSignup(ctx);
    const parsed = codeForm.safeParse(body);
    if (!signup) return seeOther(ctx, '/account/register');
    if (!parsed.success) {
      ctx.status = 400;
      return showCheckEmail(ctx, deps, { error: 'signup.wrongCode' });
    }
    let result: VerifyResult;
    try {
      result = await verifyByCode(deps.services, signup.f, parsed.data.code, requestContext(ctx, deps.renderer), signup.u ?? '');
    } catch (error) {
      if (!isAppError(error) || error.code !== 'rate_limited') throw error;
      ctx.status = 429;
      ctx.set('Retry-After', String(error.details.retryAfterSeconds ?? 60));
      return showCheckEmail(ctx, deps, { error: 'fields.rate_limited' });
    }
    if (result.outcome === 'verified') return afterVerified(ctx, deps, result);
    ctx.status = 400;
    showCheckEmail(ctx, deps, { error: CODE_ERRORS[result.outcome] });
  });

  router.post('/account/register/resend', enabled, async (ctx) => {
    assertCsrf(ctx, formBody(ctx).csrf);
    const signup = readSignup(ctx);
    if (!signup) return seeOther(ctx, '/account/register');
    const user = signup.u ? await deps.services.users.findById(signup.u) : undefined;
    if (user?.email && !user.emailVerified) {
      const sent = await sendVerification(deps.services, { kind: 'verify_email', user, target: user.email }, requestContext(ctx, deps.renderer));
      if (!sent.sent) {
        ctx.status = 429;
        ctx.set('Retry-After', String(sent.decision.retryAfterSeconds));
        return showCheckEmail(ctx, deps, { error: 'fields.rate_limited' });
      }
      writeCookie(ctx, SIGNUP_COOKIE, { ...signup, f: sent.flowId });
    }
    // For an address that already had an account the page looks the same: nothing tells them apart.
    showCheckEmail(ctx, deps, { notice: 'signup.resent' });
  });

  if (deps.passkeys) registerSignupPasskey(router, deps, deps.passkeys, enabled);

  // The link in the email: works in any browser; continues the sign-in only in the one that started it.
  router.get('/account/verify', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token.slice(0, 200) : '';
    const result = await verifyByLink(deps.services, token, requestContext(ctx, deps.renderer));
    if (result.outcome === 'verified') return afterVerified(ctx, deps, result);
    ctx.status = 400;
    renderMessage(ctx, deps.renderer, { titleId: 'signup.linkSpentTitle', textId: 'signup.linkSpent', link: { href: '/account', labelId: 'signup.toAccount' } });
  });
}
