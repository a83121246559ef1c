/**
 * TOTP enrolment during sign-in, for a user who needs a second factor and has none (client
 * `mfa_policy: required` or step-up): QR code (an SVG data: URI in an <img>, which the CSP's
 * `img-src data:` allows; no script) plus the secret for typing by hand, confirmed by the first
 * code. Then the recovery codes are shown once, and the login finishes with amr pwd+otp. The
 * sign-in flow (server/modules/auth) holds the state and decides; this page renders.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { RECOVERY_CODE_COUNT } from '../server/modules/auth/index.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { continueTo, renderInteractionPage, translatorFor } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { follow, isOnward, LOGIN_PROMPTS, signInRequest, type SignInDeps } from './sign-in.js';

const confirmForm = z.object({ csrf: z.string(), code: z.string().trim().min(1).max(16) });
const doneForm = z.object({ csrf: z.string(), trust: z.literal('yes').optional() });

async function showEnrolment(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, error?: string) {
  const start = await deps.signIn.enrolment(signInRequest(ctx, interaction));
  if (!start) return continueTo(ctx, `/interaction/${interaction.uid}`);
  // Already enrolled (another tab finished first): the factor page is the way on.
  if (start === 'enrolled') return continueTo(ctx, `/interaction/${interaction.uid}/mfa`);
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/mfa-enrol', {
    titleId: 'mfa.enrolTitle',
    action: `/interaction/${interaction.uid}/mfa/enrol`,
    abortAction: `/interaction/${interaction.uid}/abort`,
    csrf: csrfToken(ctx),
    qrCode: start.qrCodeDataUri,
    // Groups of four, as authenticator apps show and accept them.
    secret: start.secret.replace(/(.{4})/g, '$1 ').trim(),
    error,
  });
}

/** The interaction, if its prompt is one a sign-in step runs under; otherwise the browser is sent to its start. */
async function load(ctx: Context, deps: SignInDeps): Promise<PendingInteraction | undefined> {
  const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
  if (LOGIN_PROMPTS.has(interaction.prompt)) return interaction;
  continueTo(ctx, `/interaction/${interaction.uid}`);
  return undefined;
}

export function registerMfaEnrolment(router: Router, deps: SignInDeps): void {
  router.get('/interaction/:uid/mfa/enrol', async (ctx) => {
    const interaction = await load(ctx, deps);
    if (interaction) await showEnrolment(ctx, deps, interaction);
  });

  router.post('/interaction/:uid/mfa/enrol', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const interaction = await load(ctx, deps);
    if (!interaction) return;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const form = confirmForm.safeParse(body);
    const outcome = await deps.signIn.confirmEnrolment(signInRequest(ctx, interaction), form.success ? form.data.code.replace(/\s/g, '') : undefined);
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    if (outcome.next === 'recovery_codes') {
      return renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/recovery-codes', {
        titleId: 'mfa.recoveryCodesTitle',
        action: `/interaction/${interaction.uid}/mfa/done`,
        csrf: csrfToken(ctx),
        codes: outcome.codes,
        count: RECOVERY_CODE_COUNT,
        trustDays: deps.trustedDeviceDays,
      });
    }
    if (outcome.next === 'error' && outcome.error === 'throttled') {
      const wait = outcome.retryAfter ?? 1;
      ctx.status = 429;
      ctx.set('Retry-After', String(wait));
      return showEnrolment(ctx, deps, interaction, t('mfa.throttled', { count: wait }));
    }
    ctx.status = 401;
    return showEnrolment(ctx, deps, interaction, t(outcome.next === 'error' && outcome.error === 'enrolment_expired' ? 'mfa.enrolExpired' : 'mfa.invalidCode'));
  });

  router.post('/interaction/:uid/mfa/done', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const interaction = await load(ctx, deps);
    if (!interaction) return;
    // Only an enrolment confirmed in this sign-in gets past the flow; anything else goes back to the start.
    const form = doneForm.safeParse(body);
    const outcome = await deps.signIn.finishEnrolment(signInRequest(ctx, interaction), form.success && form.data.trust === 'yes');
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    continueTo(ctx, `/interaction/${interaction.uid}`);
  });
}
