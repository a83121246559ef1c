/**
 * Forced password change during login: an account whose password was generated for one-time
 * use (the first-run admin) must choose its own before the login completes (and before any
 * second factor). Which account and interaction the change is for is the sign-in flow's
 * server-side state (server/modules/auth), so the form cannot be used for any other account or
 * sign-in; this page only parses the form and renders the flow's answer.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../server/modules/users/index.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { continueTo, renderInteractionPage } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { follow, isOnward, LOGIN_PROMPTS, signInRequest, type SignInDeps } from './sign-in.js';

const form = z.object({ csrf: z.string(), password: z.string().max(4096), confirm: z.string().max(4096) });

/**
 * The change-password form for `userId` (the flow said `password_change`).
 * @param errors problem ids of users/domain/password-policy.ts (messages under `password.errors`).
 */
export async function showPasswordChange(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, userId: string, errors: string[] = []) {
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/change-password', {
    titleId: 'password.title',
    action: `/interaction/${interaction.uid}/password`,
    csrf: csrfToken(ctx),
    username: (await deps.username(userId)) ?? '',
    minLength: PASSWORD_MIN_LENGTH,
    errors,
  });
}

export function registerPasswordChange(router: Router, deps: SignInDeps): void {
  router.post('/interaction/:uid/password', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const request = signInRequest(ctx, interaction);
    const userId = LOGIN_PROMPTS.has(interaction.prompt) ? await deps.signIn.pendingPasswordChange(request) : undefined;
    if (!userId) return continueTo(ctx, `/interaction/${interaction.uid}`);
    const parsed = form.safeParse(body);
    const outcome = await deps.signIn.changePassword(request, parsed.success ? parsed.data : undefined);
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    ctx.status = 400;
    const errors = outcome.next === 'error' && outcome.error === 'password_rejected' ? (outcome.problems ?? []) : ['password_mismatch'];
    return showPasswordChange(ctx, deps, interaction, userId, errors);
  });
}
