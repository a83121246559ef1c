/**
 * Login step: username-or-email and password. Failures give one generic message whatever the
 * cause (unknown account, wrong password, disabled account) so the page reveals nothing about
 * which accounts exist. Login hints pre-fill the form; `prompt=login` and `max_age` reach this
 * page through oidc-provider's interaction policy.
 */
import type Router from '@koa/router';
import { z } from 'zod';
import type { LoginThrottle, PasswordAuthResult } from '../server/modules/auth/index.js';
import type { Renderer } from '../server/http/views.js';
import { assertCsrf, csrfToken } from './csrf.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { continueTo, renderInteractionPage } from './page.js';
import type { Context } from 'koa';
import { startPasswordChange, type PasswordChangeDeps } from './password-change.js';
import { noteDevice, type DeviceNoticeDeps } from './self-service/device.js';

export interface LoginDeps extends PasswordChangeDeps {
  gateway: InteractionGateway;
  renderer: Renderer;
  authenticate(login: string, password: string): Promise<PasswordAuthResult>;
  throttle: LoginThrottle;
  /** New-device notices at login completion (self-service); absent: none. */
  selfService?: DeviceNoticeDeps;
}

const loginForm = z.object({
  csrf: z.string(),
  login: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  remember: z.literal('yes').optional(),
});

export const INVALID_LOGIN = 'Invalid username or password.';
const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

export function showLogin(ctx: Context, deps: LoginDeps, interaction: PendingInteraction, extra: { error?: string; login?: string } = {}) {
  const hint = typeof interaction.params.login_hint === 'string' ? interaction.params.login_hint : undefined;
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/login', {
    title: 'Sign in',
    action: `/interaction/${interaction.uid}/login`,
    abortAction: `/interaction/${interaction.uid}/abort`,
    csrf: csrfToken(ctx),
    login: extra.login ?? hint ?? '',
    error: extra.error,
    links: deps.selfService ? { uid: interaction.uid, registration: deps.selfService.registration === true } : undefined,
  });
}

export function registerLogin(router: Router, deps: LoginDeps): void {
  router.post('/interaction/:uid/login', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = (ctx.request as unknown as { body?: unknown }).body as Record<string, unknown> | undefined;
    assertCsrf(ctx, body?.csrf);
    if (interaction.prompt !== 'login') {
      // A second tab or a replayed form: go back to the provider, which knows the next step.
      return continueTo(ctx, `/interaction/${interaction.uid}`);
    }
    const form = loginForm.safeParse(body);
    if (!form.success) {
      ctx.status = 400;
      return showLogin(ctx, deps, interaction, { error: INVALID_LOGIN, login: typeof body?.login === 'string' ? body.login : '' });
    }
    const allowed = deps.throttle.check(form.data.login, ctx.ip);
    if (!allowed.allowed) {
      ctx.status = 429;
      ctx.set('Retry-After', String(allowed.retryAfterSeconds));
      return showLogin(ctx, deps, interaction, {
        error: `Too many failed attempts. Try again in ${minutes(allowed.retryAfterSeconds)} minute(s).`,
        login: form.data.login,
      });
    }
    const result = await deps.authenticate(form.data.login, form.data.password);
    if (!result.ok) {
      await deps.throttle.recordFailure(form.data.login, ctx.ip);
      ctx.status = 401;
      return showLogin(ctx, deps, interaction, { error: INVALID_LOGIN, login: form.data.login });
    }
    if (result.mustChangePassword) return startPasswordChange(ctx, deps, interaction, result.userId);
    if (deps.selfService) await noteDevice(ctx, deps.selfService, result.userId);
    const next = await deps.gateway.finishLogin(ctx, {
      accountId: result.userId,
      amr: ['pwd'],
      remember: form.data.remember === 'yes',
    });
    continueTo(ctx, next);
  });
}
