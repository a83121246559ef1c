/**
 * "Forgot password?" pages: ask for the email (same answer whether or not an account has it),
 * open the emailed link (checked, not spent), choose the new password (spends the link, ends
 * every session and app access of the account). Reached from the sign-in page with
 * `?interaction=<uid>` so the person can go back to that sign-in afterwards.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { isAppError } from '../server/shared/errors.js';
import { checkResetLink, requestPasswordReset, resetPassword } from '../server/modules/self-service/index.js';
import { assertCsrf } from '../server/http/browser/csrf.js';
import type { SelfServiceDeps } from './deps.js';
import { fieldErrors, renderMessage, renderSelfService, requestContext } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { seeOther } from '../server/http/browser/render.js';
import { clearCookie, readCookie, writeCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';

const UID = /^[A-Za-z0-9_-]{1,64}$/;
const uidOf = (value: unknown) => (typeof value === 'string' && UID.test(value) ? value : undefined);
/**
 * The sign-in a reset was asked for from, so the finished reset leads back to it (and through it
 * to the app). Kept as long as the provider keeps an interaction (an hour); a reset link opened in
 * another browser simply ends at the account pages.
 */
export const RESET_RETURN_COOKIE: CookieSpec = { name: 'reset_return', path: '/account', maxAgeMs: 60 * 60 * 1000 };
const backTo = (uid: string | undefined) => (uid ? `/interaction/${uid}` : '/account');

const requestForm = z.object({ csrf: z.string(), email: z.string().max(320), interaction: z.string().max(64).optional() });
const resetForm = z.object({ csrf: z.string(), token: z.string().max(200), password: z.string().max(4096), confirm: z.string().max(4096) });

function showRequest(ctx: Context, deps: SelfServiceDeps, values: { email?: string; interaction?: string }, error?: string) {
  renderSelfService(ctx, deps.renderer, 'account/recover', { titleId: 'recovery.title', values, error, backHref: backTo(values.interaction) });
}

function showReset(ctx: Context, deps: SelfServiceDeps, token: string, errors: Record<string, string[]> = {}) {
  renderSelfService(ctx, deps.renderer, 'account/reset', { titleId: 'recovery.resetTitle', token, errors, minLength: deps.options.passwordMinLength });
}

function linkSpent(ctx: Context, deps: SelfServiceDeps) {
  ctx.status = 400;
  renderMessage(ctx, deps.renderer, { titleId: 'recovery.linkSpentTitle', textId: 'recovery.linkSpent', link: { href: '/account/recover', labelId: 'recovery.again' } });
}

export function registerRecovery(router: Router, deps: SelfServiceDeps): void {
  router.get('/account/recover', (ctx) => showRequest(ctx, deps, { interaction: uidOf(ctx.query.interaction) }));

  router.post('/account/recover', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const parsed = requestForm.safeParse(body);
    if (!parsed.success) {
      ctx.status = 400;
      return showRequest(ctx, deps, {}, 'fields.invalid_email');
    }
    const interaction = uidOf(parsed.data.interaction);
    try {
      await requestPasswordReset(deps.services, parsed.data.email, requestContext(ctx, deps.renderer));
    } catch (error) {
      if (!isAppError(error) || error.code !== 'rate_limited') throw error;
      ctx.status = 429;
      ctx.set('Retry-After', String(error.details.retryAfterSeconds ?? 60));
      return showRequest(ctx, deps, { email: parsed.data.email, interaction }, 'fields.rate_limited');
    }
    if (interaction) writeCookie(ctx, RESET_RETURN_COOKIE, interaction);
    renderMessage(ctx, deps.renderer, { titleId: 'recovery.sentTitle', textId: 'recovery.sent', link: { href: backTo(interaction), labelId: 'recovery.back' } });
  });

  router.get('/account/reset', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token.slice(0, 200) : '';
    if ((await checkResetLink(deps.services, token)) !== 'usable') return linkSpent(ctx, deps);
    showReset(ctx, deps, token);
  });

  router.post('/account/reset', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const parsed = resetForm.safeParse(body);
    if (!parsed.success) return linkSpent(ctx, deps);
    const { token, password, confirm } = parsed.data;
    if (password !== confirm) {
      ctx.status = 400;
      return showReset(ctx, deps, token, { password: ['fields.password_mismatch'] });
    }
    try {
      await resetPassword(deps.services, token, password, requestContext(ctx, deps.renderer));
    } catch (error) {
      if (isAppError(error) && error.code === 'invalid_input') {
        ctx.status = 400;
        return showReset(ctx, deps, token, fieldErrors(error.details.fields));
      }
      if (isAppError(error) && error.code === 'not_found') return linkSpent(ctx, deps);
      throw error;
    }
    seeOther(ctx, '/account/reset/done');
  });

  router.get('/account/reset/done', (ctx) => {
    const interaction = readCookie(ctx, RESET_RETURN_COOKIE, uidOf);
    if (interaction) clearCookie(ctx, RESET_RETURN_COOKIE);
    renderMessage(ctx, deps.renderer, {
      titleId: 'recovery.doneTitle',
      textId: 'recovery.done',
      link: interaction ? { href: backTo(interaction), labelId: 'recovery.continueSignIn' } : { href: '/account', labelId: 'recovery.signIn' },
    });
  });
}
