/**
 * Forced password change during login: an account whose password was generated for one-time
 * use (the first-run admin) must choose its own before the login completes (and before any
 * second factor). The pending change is bound to this interaction and account by a signed,
 * short-lived, HttpOnly cookie, so the form cannot be used for any other account or sign-in.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { isAppError } from '../server/shared/errors.js';
import { PASSWORD_MIN_LENGTH } from '../server/modules/users/index.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { continueTo, renderInteractionPage } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { continueAfterPassword, type SignInDeps } from './sign-in.js';

export interface PasswordChangeDeps extends SignInDeps {
  changePassword(userId: string, password: string): Promise<void>;
}

const COOKIE = 'pending_password_change';
// Long enough to type a new passphrase, short enough that a forgotten tab does not stay armed.
const PENDING_MS = 10 * 60 * 1000;

const form = z.object({ csrf: z.string(), password: z.string().max(4096), confirm: z.string().max(4096) });

function cookieOptions(ctx: Context, uid: string) {
  return { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: `/interaction/${uid}`, overwrite: true };
}

/** @param errors problem ids of users/domain/password-policy.ts (messages under `password.errors`). */
async function render(ctx: Context, deps: PasswordChangeDeps, interaction: PendingInteraction, userId: string, errors: string[] = []) {
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/change-password', {
    titleId: 'password.title',
    action: `/interaction/${interaction.uid}/password`,
    csrf: csrfToken(ctx),
    username: (await deps.username(userId)) ?? '',
    minLength: PASSWORD_MIN_LENGTH,
    errors,
  });
}

/** Called by the login step when the password was right but must be replaced. */
export async function startPasswordChange(ctx: Context, deps: PasswordChangeDeps, interaction: PendingInteraction, userId: string, remember = false) {
  ctx.cookies.set(COOKIE, `${interaction.uid}.${userId}.${remember ? 1 : 0}`, { ...cookieOptions(ctx, interaction.uid), maxAge: PENDING_MS });
  await render(ctx, deps, interaction, userId);
}

export function registerPasswordChange(router: Router, deps: PasswordChangeDeps): void {
  router.post('/interaction/:uid/password', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const pending = ctx.cookies.get(COOKIE, { signed: true });
    const [uid, userId, remember] = pending?.split('.') ?? [];
    if (!['login', 'select_account'].includes(interaction.prompt) || uid !== interaction.uid || !userId) {
      return continueTo(ctx, `/interaction/${interaction.uid}`);
    }
    const parsed = form.safeParse(body);
    if (!parsed.success || parsed.data.password !== parsed.data.confirm) {
      ctx.status = 400;
      return render(ctx, deps, interaction, userId, ['password_mismatch']);
    }
    try {
      await deps.changePassword(userId, parsed.data.password);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'invalid_input') throw error;
      ctx.status = 400;
      return render(ctx, deps, interaction, userId, (error.details.fields ?? []).map((f) => f.message));
    }
    ctx.cookies.set(COOKIE, null, cookieOptions(ctx, interaction.uid));
    await continueAfterPassword(ctx, deps, interaction, userId, remember === '1');
  });
}
