/**
 * Forced password change during login: an account whose password was generated for one-time
 * use (the first-run admin) must choose its own before the login completes. The pending change
 * is bound to this interaction and account by a signed, short-lived, HttpOnly cookie, so the
 * form cannot be used for any other account or sign-in.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { isAppError } from '../server/shared/errors.js';
import type { Renderer } from '../server/http/views.js';
import { PASSWORD_MIN_LENGTH } from '../server/modules/users/index.js';
import { assertCsrf, csrfToken } from './csrf.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { continueTo, renderInteractionPage } from './page.js';

export interface PasswordChangeDeps {
  gateway: InteractionGateway;
  renderer: Renderer;
  changePassword(userId: string, password: string): Promise<void>;
  username(accountId: string): Promise<string | undefined>;
}

const COOKIE = 'pending_password_change';
// Long enough to type a new passphrase, short enough that a forgotten tab does not stay armed.
const PENDING_MS = 10 * 60 * 1000;

const MESSAGES: Record<string, string> = {
  password_too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  password_too_long: 'That password is too long.',
  password_matches_username: 'Do not use your username or email as password.',
  password_unchanged: 'Choose a password different from the one-time password.',
  password_mismatch: 'The two passwords do not match.',
};

const form = z.object({ csrf: z.string(), password: z.string().max(4096), confirm: z.string().max(4096) });

function cookieOptions(ctx: Context, uid: string) {
  return { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: `/interaction/${uid}`, overwrite: true };
}

async function render(ctx: Context, deps: PasswordChangeDeps, interaction: PendingInteraction, userId: string, errors: string[] = []) {
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/change-password', {
    title: 'Choose a new password',
    action: `/interaction/${interaction.uid}/password`,
    csrf: csrfToken(ctx),
    username: (await deps.username(userId)) ?? '',
    minLength: PASSWORD_MIN_LENGTH,
    errors,
  });
}

/** Called by the login step when the password was right but must be replaced. */
export async function startPasswordChange(ctx: Context, deps: PasswordChangeDeps, interaction: PendingInteraction, userId: string) {
  ctx.cookies.set(COOKIE, `${interaction.uid}.${userId}`, { ...cookieOptions(ctx, interaction.uid), maxAge: PENDING_MS });
  await render(ctx, deps, interaction, userId);
}

export function registerPasswordChange(router: Router, deps: PasswordChangeDeps): void {
  router.post('/interaction/:uid/password', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = (ctx.request as unknown as { body?: Record<string, unknown> }).body;
    assertCsrf(ctx, body?.csrf);
    const pending = ctx.cookies.get(COOKIE, { signed: true });
    const [uid, userId] = pending?.split('.') ?? [];
    if (interaction.prompt !== 'login' || uid !== interaction.uid || !userId) {
      return continueTo(ctx, `/interaction/${interaction.uid}`);
    }
    const parsed = form.safeParse(body);
    if (!parsed.success || parsed.data.password !== parsed.data.confirm) {
      ctx.status = 400;
      return render(ctx, deps, interaction, userId, [MESSAGES.password_mismatch!]);
    }
    try {
      await deps.changePassword(userId, parsed.data.password);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'invalid_input') throw error;
      ctx.status = 400;
      return render(ctx, deps, interaction, userId, (error.details.fields ?? []).map((f) => MESSAGES[f.message] ?? f.message));
    }
    ctx.cookies.set(COOKIE, null, cookieOptions(ctx, interaction.uid));
    continueTo(ctx, await deps.gateway.finishLogin(ctx, { accountId: userId, amr: ['pwd'], remember: false }));
  });
}
