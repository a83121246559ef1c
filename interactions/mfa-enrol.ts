/**
 * TOTP enrolment during sign-in, for a user who needs a second factor and has none (client
 * `mfa_policy: required` or step-up): QR code (an SVG data: URI in an <img>, which the CSP's
 * `img-src data:` allows; no script) plus the secret for typing by hand, confirmed by the first
 * code. Then the recovery codes are shown once, and the login finishes with amr pwd+otp.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { RECOVERY_CODE_COUNT } from '../server/modules/auth/index.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { LOGIN_PROMPTS } from './login.js';
import { loadPendingSignIn, savePending, type PendingSignIn } from './mfa-state.js';
import { continueTo, factsOf, renderInteractionPage, translatorFor } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { finishSignIn, type SignInDeps } from './sign-in.js';

const confirmForm = z.object({ csrf: z.string(), code: z.string().trim().min(1).max(16) });
const doneForm = z.object({ csrf: z.string(), trust: z.literal('yes').optional() });

async function showEnrolment(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, pending: PendingSignIn, error?: string) {
  const username = (await deps.username(pending.userId)) ?? pending.userId;
  const start = (await deps.mfa.currentTotpEnrolment(pending.userId, username)) ?? (await deps.mfa.beginTotpEnrolment(pending.userId, username));
  // Already enrolled (another tab finished first): the factor page is the way on.
  if ('error' in start) return continueTo(ctx, `/interaction/${interaction.uid}/mfa`);
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

const load = (ctx: Context, deps: SignInDeps) => loadPendingSignIn(ctx, deps.gateway, LOGIN_PROMPTS);

export function registerMfaEnrolment(router: Router, deps: SignInDeps): void {
  router.get('/interaction/:uid/mfa/enrol', async (ctx) => {
    const loaded = await load(ctx, deps);
    if (loaded) await showEnrolment(ctx, deps, loaded.interaction, loaded.pending);
  });

  router.post('/interaction/:uid/mfa/enrol', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { interaction, pending } = loaded;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const wait = await deps.lockout.mfaWait(pending.userId);
    if (wait > 0) {
      ctx.status = 429;
      ctx.set('Retry-After', String(wait));
      return showEnrolment(ctx, deps, interaction, pending, t('mfa.throttled', { seconds: wait }));
    }
    const form = confirmForm.safeParse(body);
    const facts = factsOf(ctx, interaction);
    const result = form.success ? await deps.mfa.confirmTotpEnrolment(pending.userId, form.data.code.replace(/\s/g, ''), facts) : { ok: false as const, error: 'invalid_code' as const };
    if (!result.ok) {
      await deps.lockout.mfaFailed(pending.userId, facts);
      ctx.status = 401;
      const restarted = result.error === 'expired' || result.error === 'too_many_attempts' || result.error === 'not_started';
      return showEnrolment(ctx, deps, interaction, pending, t(restarted ? 'mfa.enrolExpired' : 'mfa.invalidCode'));
    }
    await deps.lockout.mfaSucceeded(pending.userId);
    const codes = await deps.mfa.generateRecoveryCodes(pending.userId, facts);
    savePending(ctx, { ...pending, methods: [...pending.methods, 'otp'], enrolled: true });
    renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/recovery-codes', {
      titleId: 'mfa.recoveryCodesTitle',
      action: `/interaction/${interaction.uid}/mfa/done`,
      csrf: csrfToken(ctx),
      codes,
      count: RECOVERY_CODE_COUNT,
      trustDays: deps.trustedDeviceDays,
    });
  });

  router.post('/interaction/:uid/mfa/done', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { interaction, pending } = loaded;
    // Only an enrolment confirmed in this sign-in gets here; anything else goes back to the start.
    if (!pending.enrolled) return continueTo(ctx, `/interaction/${interaction.uid}`);
    const form = doneForm.safeParse(body);
    await finishSignIn(ctx, deps, interaction, { userId: pending.userId, methods: pending.methods, remember: pending.remember, trust: form.success && form.data.trust === 'yes' });
  });
}
