/**
 * Sign-in with upstream OpenID Providers ("Continue with Google"). The button is a plain link that
 * starts the upstream request (state, nonce and PKCE verifier stored server-side for this
 * interaction); the upstream returns to ISSUER/federation/callback, which sends the browser on to
 * this interaction's path, where its interaction cookie proves it is the browser that started it.
 * A first sign-in links (after the account's password), registers, or is refused with a reason
 * (server/modules/federation). Our MFA policy still applies afterwards unless the upstream's MFA
 * is trusted (FEDERATION_TRUST_UPSTREAM_MFA).
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { SignInOutcome } from '../server/modules/auth/index.js';
import { UpstreamError, type CallbackOutcome } from '../server/modules/federation/index.js';
import { AppError } from '../server/shared/errors.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { showLogin, type LoginDeps } from './login.js';
import { continueTo, factsOf, renderInteractionPage, translatorFor } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { showPasswordChange } from './password-change.js';
import { follow, isOnward, signInRequest } from './sign-in.js';

export type FederationDeps = LoginDeps;

const linkForm = z.object({ csrf: z.string(), password: z.string().min(1).max(1024) });
const providerId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/);

/** Renders or follows what the sign-in flow answered after an upstream sign-in or a link. */
async function show(ctx: Context, deps: FederationDeps, interaction: PendingInteraction, outcome: SignInOutcome) {
  if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
  if (outcome.next === 'password_change') return showPasswordChange(ctx, deps, interaction, outcome.userId);
  return continueTo(ctx, `/interaction/${interaction.uid}`);
}

function explain(ctx: Context, deps: FederationDeps, interaction: PendingInteraction, outcome: Extract<CallbackOutcome, { kind: 'refused' | 'failed' }>) {
  const t = translatorFor(ctx, deps.renderer, interaction);
  const name = deps.federation?.providers.find((p) => p.id === outcome.providerId)?.name ?? '';
  const id = outcome.kind === 'refused' ? `federation.refused.${outcome.reason}` : `federation.failed.${outcome.failure}`;
  ctx.status = outcome.kind === 'refused' ? 403 : outcome.failure === 'unavailable' ? 502 : 400;
  return showLogin(ctx, deps, interaction, { alert: t(id, { provider: name }) });
}

export function registerFederation(router: Router, deps: FederationDeps): void {
  const federation = deps.federation;
  if (!federation) return;

  // The redirect URI registered at every upstream. Only routes the browser: nothing is consumed here.
  router.get('/federation/callback', async (ctx) => {
    const binding = typeof ctx.query.state === 'string' ? await federation.routeCallback(ctx.query.state) : undefined;
    if (!binding) {
      throw new AppError('interaction_expired', 'This sign-in request has expired or was already completed. Return to the application and start again.');
    }
    ctx.set('Cache-Control', 'no-store');
    // A link started on /account is finished there, against the account session.
    ctx.redirect('userId' in binding
      ? `/account/federation/return?${ctx.querystring}`
      : `/interaction/${encodeURIComponent(binding.interactionUid)}/federation/return?${ctx.querystring}`);
  });

  router.get('/interaction/:uid/federation/return', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const url = new URL(`http://callback/?${ctx.querystring}`);
    const outcome = await federation.callback(url, { interactionUid: interaction.uid }, factsOf(ctx, interaction));
    ctx.set('Cache-Control', 'no-store');
    // The upstream's own MFA, when trusted, is the second factor; otherwise our policy decides.
    if (outcome.kind === 'signed_in') return show(ctx, deps, interaction, await deps.signIn.federated(signInRequest(ctx, interaction), outcome.userId, outcome.upstreamMfa));
    if (outcome.kind === 'link_required') return continueTo(ctx, `/interaction/${interaction.uid}/federation/link`);
    if (outcome.kind === 'refused' || outcome.kind === 'failed') return explain(ctx, deps, interaction, outcome);
    return continueTo(ctx, `/interaction/${interaction.uid}`);
  });

  async function showLink(ctx: Context, interaction: PendingInteraction, error?: string) {
    const pending = await federation!.pendingLink(interaction.uid);
    if (!pending) return explain(ctx, deps, interaction, { kind: 'failed', failure: 'state', providerId: undefined });
    const provider = federation!.providers.find((p) => p.id === pending.providerId)?.name ?? pending.providerId;
    renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/federation-link', {
      titleId: 'federation.link.title',
      titleValues: { provider },
      provider,
      email: pending.email,
      username: pending.username,
      action: `/interaction/${interaction.uid}/federation/link`,
      cancelAction: `/interaction/${interaction.uid}/federation/link/cancel`,
      csrf: csrfToken(ctx),
      error,
    });
  }

  router.get('/interaction/:uid/federation/link', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    await showLink(ctx, interaction);
  });

  router.post('/interaction/:uid/federation/link', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const t = translatorFor(ctx, deps.renderer, interaction);
    const form = linkForm.safeParse(body);
    if (!form.success) {
      ctx.status = 400;
      return showLink(ctx, interaction, t('federation.link.invalid'));
    }
    const pending = await federation.pendingLink(interaction.uid);
    if (!pending) return showLink(ctx, interaction);
    // The same budget and backoff as the password form (in the sign-in flow): this is a password guess too.
    const facts = factsOf(ctx, interaction);
    const outcome = await deps.signIn.submitLinkPassword(signInRequest(ctx, interaction), pending.username, () => federation.confirmLink(interaction.uid, form.data.password, facts));
    if (outcome.next === 'error' && outcome.error === 'throttled') {
      const wait = outcome.retryAfter ?? 1;
      ctx.status = 429;
      ctx.set('Retry-After', String(wait));
      return showLink(ctx, interaction, t('login.throttledSeconds', { count: wait }));
    }
    if (outcome.next === 'error') {
      ctx.status = 401;
      return showLink(ctx, interaction, t('federation.link.wrongPassword'));
    }
    // The held link expired meanwhile: the link page says so.
    if (outcome.next === 'restart') return showLink(ctx, interaction);
    return show(ctx, deps, interaction, outcome);
  });

  router.post('/interaction/:uid/federation/link/cancel', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    assertCsrf(ctx, formBody(ctx)?.csrf);
    await federation.cancelLink(interaction.uid);
    continueTo(ctx, `/interaction/${interaction.uid}`);
  });

  // Registered last: the fixed paths above (return, link) take precedence over a provider id.
  router.get('/interaction/:uid/federation/:provider', async (ctx) => {
    const id = providerId.safeParse(ctx.params.provider);
    if (!id.success) throw new AppError('not_found', 'Unknown sign-in provider.');
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    if (!federation.providers.some((p) => p.id === id.data)) throw new AppError('not_found', 'Unknown sign-in provider.');
    try {
      const url = await federation.start(id.data, { interactionUid: interaction.uid }, factsOf(ctx, interaction));
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(url.href);
    } catch (error) {
      if (error instanceof UpstreamError) {
        return explain(ctx, deps, interaction, { kind: 'failed', failure: 'unavailable', providerId: id.data });
      }
      throw error;
    }
  });
}
