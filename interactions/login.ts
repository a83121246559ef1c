/**
 * Login step: username-or-email and password, handed to the sign-in flow (server/modules/auth).
 * Failures give one generic message whatever the cause (unknown account, wrong password,
 * disabled account) after the same work, so the page reveals nothing about which accounts
 * exist. The flow throttles and backs off attempts, keyed by the name as typed.
 * Login hints pre-fill the form; `prompt=login`, `max_age` and MFA step-up reach this page
 * through the interaction policy; `prompt=select_account` lands here for "use another account".
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { requestsPasskey, type PasswordAuthResult } from '../server/modules/auth/index.js';
import type { Federation } from '../server/modules/federation/index.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { continueTo, renderInteractionPage, translatorFor } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { showPasswordChange } from './password-change.js';
import { follow, isOnward, LOGIN_PROMPTS, signInRequest, type SignInDeps } from './sign-in.js';

export interface LoginDeps extends SignInDeps {
  /** The password check the sign-in flow uses, also for tools that verify a seeded account. */
  authenticate(login: string, password: string): Promise<PasswordAuthResult>;
  /** Upstream OpenID Providers (interactions/federation.ts); absent: none configured. */
  federation?: Federation;
  /** PASSKEYS_ENABLED: "Sign in with a passkey" and passkeys in the username field's autofill. */
  passkeys?: boolean;
}

const loginForm = z.object({
  csrf: z.string(),
  login: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  remember: z.literal('yes').optional(),
});


/** `extra.alert`: a message about the sign-in as a whole (an upstream's answer), not about the fields. */
export async function showLogin(ctx: Context, deps: LoginDeps, interaction: PendingInteraction, extra: { error?: string; alert?: string; login?: string } = {}) {
  const stepUp = interaction.reasons.includes('mfa_step_up');
  // Step-up re-authenticates the session's user: their name is the natural hint.
  const hint = typeof interaction.params.login_hint === 'string'
    ? interaction.params.login_hint
    : stepUp && interaction.accountId ? await deps.username(interaction.accountId) : undefined;
  const t = translatorFor(ctx, deps.renderer, interaction);
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/login', {
    titleId: 'login.title',
    action: `/interaction/${interaction.uid}/login`,
    abortAction: `/interaction/${interaction.uid}/abort`,
    csrf: csrfToken(ctx),
    login: extra.login ?? hint ?? '',
    error: extra.error,
    alert: extra.alert,
    links: deps.selfService
      ? { uid: interaction.uid, registration: deps.selfService.registration === true, recovery: deps.selfService.passwordRecovery !== false }
      : undefined,
    notice: stepUp ? t(deps.passkeys && requestsPasskey(typeof interaction.params.acr_values === 'string' ? interaction.params.acr_values : undefined) ? 'passkeys.stepUp' : 'login.stepUp', { client: interaction.client.name }) : undefined,
    passkey: deps.passkeys ? { action: `/interaction/${interaction.uid}/passkey`, options: `/interaction/${interaction.uid}/passkey/options` } : null,
    upstreams: (deps.federation?.providers ?? []).map((p) => ({ ...p, href: `/interaction/${encodeURIComponent(interaction.uid)}/federation/${p.id}` })),
  });
}

/** "Try again in …": seconds under two minutes, else minutes. */
export function waitMessage(t: (id: string, v?: Record<string, number>) => string, seconds: number): string {
  return seconds < 120 ? t('login.throttledSeconds', { count: seconds }) : t('login.throttled', { count: Math.ceil(seconds / 60) });
}

export function registerLogin(router: Router, deps: LoginDeps): void {
  router.post('/interaction/:uid/login', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    if (!LOGIN_PROMPTS.has(interaction.prompt)) {
      // A second tab or a replayed form: go back to the provider, which knows the next step.
      return continueTo(ctx, `/interaction/${interaction.uid}`);
    }
    const t = translatorFor(ctx, deps.renderer, interaction);
    const form = loginForm.safeParse(body);
    if (!form.success) {
      ctx.status = 400;
      return showLogin(ctx, deps, interaction, { error: t('login.invalid'), login: typeof body?.login === 'string' ? body.login : '' });
    }
    const { login, password } = form.data;
    const outcome = await deps.signIn.submitPassword(signInRequest(ctx, interaction), { login, password, remember: form.data.remember === 'yes' });
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    if (outcome.next === 'password_change') return showPasswordChange(ctx, deps, interaction, outcome.userId);
    if (outcome.next === 'error' && outcome.error === 'throttled') {
      const wait = outcome.retryAfter ?? 1;
      ctx.status = 429;
      ctx.set('Retry-After', String(wait));
      return showLogin(ctx, deps, interaction, { error: waitMessage(t, wait), login });
    }
    if (outcome.next === 'error' && outcome.error === 'passkey_required') {
      ctx.status = 403;
      return showLogin(ctx, deps, interaction, { alert: t('passkeys.required'), login });
    }
    ctx.status = 401;
    return showLogin(ctx, deps, interaction, { error: t('login.invalid'), login });
  });
}
