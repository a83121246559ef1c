/**
 * The second-factor page of a sign-in: a TOTP code, an SMS code (sent on request to the verified
 * phone) or a recovery code. Each attempt is backed off per account (auth lockout) and audited;
 * a wrong code gets one generic message tied to its field. Only after a factor succeeds does
 * the login finish (sign-in.ts), optionally trusting this device.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { SMS_CODE_TTL_MS, type AmrValue, type FactorSummary } from '../server/modules/auth/index.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { loadPendingSignIn, savePending, type PendingSignIn } from './mfa-state.js';
import { factsOf, localeOf, renderInteractionPage, translatorFor } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { finishSignIn, type SignInDeps } from './sign-in.js';
import { LOGIN_PROMPTS } from './login.js';

const METHODS = { totp: 'otp', sms: 'sms', recovery: 'otp' } as const satisfies Record<string, AmrValue>;
type Method = keyof typeof METHODS;

const codeForm = z.object({
  csrf: z.string(),
  method: z.enum(['totp', 'sms', 'recovery']),
  code: z.string().trim().min(1).max(64),
  trust: z.literal('yes').optional(),
});

interface PageState {
  error?: { method: Method; message: string };
  notice?: string;
}

async function showChallenge(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, pending: PendingSignIn, state: PageState = {}) {
  const factors: FactorSummary[] = await deps.mfa.listFactors(pending.userId);
  const has = (type: FactorSummary['type']) => factors.find((f) => f.type === type);
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/mfa', {
    titleId: 'mfa.title',
    action: `/interaction/${interaction.uid}/mfa`,
    smsAction: `/interaction/${interaction.uid}/mfa/sms`,
    abortAction: `/interaction/${interaction.uid}/abort`,
    csrf: csrfToken(ctx),
    username: (await deps.username(pending.userId)) ?? '',
    totp: !!has('totp'),
    sms: has('sms')?.detail ?? null,
    smsSent: !!pending.smsChallengeId,
    recovery: !!has('recovery_codes'),
    trustDays: deps.trustedDeviceDays,
    error: state.error,
    notice: state.notice,
  });
}

const load = (ctx: Context, deps: SignInDeps) => loadPendingSignIn(ctx, deps.gateway, LOGIN_PROMPTS);

async function check(deps: SignInDeps, pending: PendingSignIn, method: Method, code: string, facts: ReturnType<typeof factsOf>): Promise<boolean> {
  if (method === 'totp') return (await deps.mfa.verifyTotp(pending.userId, code)).ok;
  if (method === 'recovery') return deps.mfa.useRecoveryCode(pending.userId, code, facts);
  if (!pending.smsChallengeId) return false;
  return (await deps.mfa.verifySmsCode(pending.userId, pending.smsChallengeId, code)).ok;
}

export function registerMfa(router: Router, deps: SignInDeps): void {
  router.get('/interaction/:uid/mfa', async (ctx) => {
    const loaded = await load(ctx, deps);
    if (loaded) await showChallenge(ctx, deps, loaded.interaction, loaded.pending);
  });

  router.post('/interaction/:uid/mfa/sms', async (ctx) => {
    assertCsrf(ctx, formBody(ctx)?.csrf);
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { interaction, pending } = loaded;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const sent = await deps.mfa.sendSmsCode(pending.userId, localeOf(ctx, deps.renderer, interaction), factsOf(ctx, interaction));
    if (!sent.ok) {
      ctx.status = sent.reason === 'too_soon' ? 429 : 400;
      return showChallenge(ctx, deps, interaction, pending, { error: { method: 'sms', message: t('mfa.smsTooSoon') } });
    }
    const next = { ...pending, smsChallengeId: sent.challengeId };
    savePending(ctx, next);
    await showChallenge(ctx, deps, interaction, next, { notice: t('mfa.smsSent', { phone: sent.maskedPhone, minutes: SMS_CODE_TTL_MS / 60_000 }) });
  });

  router.post('/interaction/:uid/mfa', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { interaction, pending } = loaded;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const form = codeForm.safeParse(body);
    const method: Method = form.success ? form.data.method : 'totp';
    const wait = await deps.lockout.mfaWait(pending.userId);
    if (wait > 0) {
      ctx.status = 429;
      ctx.set('Retry-After', String(wait));
      return showChallenge(ctx, deps, interaction, pending, { error: { method, message: t('mfa.throttled', { seconds: wait }) } });
    }
    const facts = factsOf(ctx, interaction);
    if (!form.success || !(await check(deps, pending, method, form.data.code, facts))) {
      await deps.lockout.mfaFailed(pending.userId, facts);
      // Recovery codes audit themselves in the use case; the others are audited here.
      if (method !== 'recovery') {
        await deps.audit.record({ type: 'auth.mfa.failure', outcome: 'failure', actor: { type: 'user', id: pending.userId }, subject: { type: 'user', id: pending.userId }, ...facts, details: { factor: method } });
      }
      ctx.status = 401;
      return showChallenge(ctx, deps, interaction, pending, { error: { method, message: t('mfa.invalidCode') } });
    }
    await deps.lockout.mfaSucceeded(pending.userId);
    await deps.audit.record({ type: 'auth.mfa.success', outcome: 'success', actor: { type: 'user', id: pending.userId }, subject: { type: 'user', id: pending.userId }, ...facts, details: { factor: method } });
    await finishSignIn(ctx, deps, interaction, {
      userId: pending.userId,
      methods: [...pending.methods, METHODS[method]],
      remember: pending.remember,
      trust: form.data.trust === 'yes',
    });
  });
}
