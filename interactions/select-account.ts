/**
 * `prompt=select_account` (OIDC Core §3.1.2.1): with a session, "continue as <user>" or "use
 * another account" (the login form, whose result also resolves this prompt); without one, the
 * login form straight away.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { showLogin, type LoginDeps } from './login.js';
import { continueTo, factsOf, renderInteractionPage } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';

const choiceForm = z.object({ csrf: z.string(), choice: z.enum(['continue', 'switch']) });

export async function showSelectAccount(ctx: Context, deps: LoginDeps, interaction: PendingInteraction) {
  if (!interaction.accountId) return showLogin(ctx, deps, interaction);
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/select-account', {
    titleId: 'select.title',
    action: `/interaction/${interaction.uid}/select-account`,
    abortAction: `/interaction/${interaction.uid}/abort`,
    csrf: csrfToken(ctx),
    username: (await deps.username(interaction.accountId)) ?? '',
  });
}

export function registerSelectAccount(router: Router, deps: LoginDeps): void {
  router.post('/interaction/:uid/select-account', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const form = choiceForm.safeParse(body);
    if (interaction.prompt !== 'select_account' || !form.success) return continueTo(ctx, `/interaction/${interaction.uid}`);
    if (form.data.choice === 'switch' || !interaction.accountId) return showLogin(ctx, deps, interaction);
    await deps.audit.record({
      type: 'auth.account_selected',
      outcome: 'success',
      actor: { type: 'user', id: interaction.accountId },
      subject: { type: 'user', id: interaction.accountId },
      ...factsOf(ctx, interaction),
    });
    continueTo(ctx, await deps.gateway.selectSessionAccount(ctx));
  });
}
