/**
 * The second-factor page of a sign-in: a TOTP code, an SMS code (sent on request to the verified
 * phone) or a recovery code. The page parses the form and renders what the sign-in flow
 * (server/modules/auth) answers: the flow checks the code through the factor the form names,
 * backs off attempts per account, audits, and finishes the login only after a factor passed.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { CHALLENGE_METHODS, SMS_CODE_TTL_MS, type ChallengeMethod, type ChallengeView } from '../server/modules/auth/index.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import type { PendingInteraction } from './gateway.js';
import { continueTo, localeOf, renderInteractionPage, translatorFor } from './page.js';
import { formBody } from '../server/http/browser/form-body.js';
import { follow, isOnward, LOGIN_PROMPTS, signInRequest, type SignInDeps } from './sign-in.js';

const codeForm = z.object({
  csrf: z.string(),
  method: z.enum(CHALLENGE_METHODS),
  code: z.string().trim().min(1).max(64),
  trust: z.literal('yes').optional(),
});

interface PageState {
  error?: { method: ChallengeMethod | 'passkey'; message: string };
  notice?: string;
  /** The method asked for with `?method=` ("use another method"). */
  method?: unknown;
}

/**
 * One method at a time: the one asked for, else the one an error or a sent SMS is about, else
 * the first the account has (passkey, authenticator app, text message, recovery code); the others are
 * links under "use another method", so switching needs no script.
 */
type PageMethod = ChallengeMethod | 'passkey';

function chosenMethod(available: PageMethod[], view: ChallengeView, state: PageState): PageMethod | undefined {
  const asked = available.find((m) => m === state.method);
  return state.error?.method ?? asked ?? (view.smsSent && available.includes('sms') ? 'sms' : undefined) ?? available[0];
}

function showChallenge(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, view: ChallengeView, state: PageState = {}) {
  const has = (type: ChallengeView['factors'][number]['type']) => view.factors.find((f) => f.type === type);
  // A passkey first (phishing-resistant); only a passkey when the client asked for one (acr_values=phr).
  const codes = view.passkeyOnly ? [] : CHALLENGE_METHODS.filter((m) => !!has(m === 'recovery' ? 'recovery_codes' : m));
  const available: PageMethod[] = [...(has('passkey') ? (['passkey'] as const) : []), ...codes];
  const method = chosenMethod(available, view, state);
  const page = `/interaction/${interaction.uid}/mfa`;
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/mfa', {
    titleId: 'mfa.title',
    method,
    others: available.filter((m) => m !== method).map((m) => ({ method: m, href: `${page}?method=${m}` })),
    action: `/interaction/${interaction.uid}/mfa`,
    smsAction: `/interaction/${interaction.uid}/mfa/sms`,
    abortAction: `/interaction/${interaction.uid}/abort`,
    csrf: csrfToken(ctx),
    username: view.username,
    totp: !!has('totp'),
    sms: has('sms')?.detail ?? null,
    smsSent: view.smsSent,
    recovery: !!has('recovery_codes'),
    passkey: has('passkey') ? { action: `/interaction/${interaction.uid}/mfa/passkey`, options: `/interaction/${interaction.uid}/passkey/options` } : null,
    passkeyOnly: view.passkeyOnly,
    trustDays: deps.trustedDeviceDays,
    error: state.error,
    notice: state.notice,
  });
}

/** The second-factor page again with `state` (a refused passkey); to the interaction's start when none waits. */
export async function showChallengeAgain(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, state: PageState): Promise<void> {
  const view = await deps.signIn.challenge(signInRequest(ctx, interaction));
  if (!view) return continueTo(ctx, `/interaction/${interaction.uid}`);
  showChallenge(ctx, deps, interaction, view, state);
}

/**
 * Loads the interaction and what its sign-in's factor page shows; redirects to the start of the
 * interaction (and resolves undefined) when no sign-in of it waits for a second factor.
 */
async function load(ctx: Context, deps: SignInDeps) {
  const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
  const view = LOGIN_PROMPTS.has(interaction.prompt) ? await deps.signIn.challenge(signInRequest(ctx, interaction)) : undefined;
  if (!view) {
    continueTo(ctx, `/interaction/${interaction.uid}`);
    return undefined;
  }
  return { interaction, view };
}

export function registerMfa(router: Router, deps: SignInDeps): void {
  router.get('/interaction/:uid/mfa', async (ctx) => {
    const loaded = await load(ctx, deps);
    if (loaded) showChallenge(ctx, deps, loaded.interaction, loaded.view, { method: ctx.query.method });
  });

  router.post('/interaction/:uid/mfa/sms', async (ctx) => {
    assertCsrf(ctx, formBody(ctx)?.csrf);
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { interaction, view } = loaded;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const outcome = await deps.signIn.sendSms(signInRequest(ctx, interaction), localeOf(ctx, deps.renderer, interaction));
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    if (outcome.next !== 'sms_sent') {
      ctx.status = outcome.next === 'error' && outcome.error === 'sms_too_soon' ? 429 : 400;
      return showChallenge(ctx, deps, interaction, view, { error: { method: 'sms', message: t('mfa.smsTooSoon') } });
    }
    showChallenge(ctx, deps, interaction, { ...view, smsSent: true }, { notice: t('mfa.smsSent', { phone: outcome.maskedPhone, minutes: SMS_CODE_TTL_MS / 60_000 }) });
  });

  router.post('/interaction/:uid/mfa', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body?.csrf);
    const loaded = await load(ctx, deps);
    if (!loaded) return;
    const { interaction, view } = loaded;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const form = codeForm.safeParse(body);
    const method: ChallengeMethod = form.success ? form.data.method : 'totp';
    const outcome = await deps.signIn.submitSecondFactor(signInRequest(ctx, interaction), method, form.success ? { code: form.data.code, trust: form.data.trust === 'yes' } : undefined);
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    if (outcome.next === 'error' && outcome.error === 'throttled') {
      const wait = outcome.retryAfter ?? 1;
      ctx.status = 429;
      ctx.set('Retry-After', String(wait));
      return showChallenge(ctx, deps, interaction, view, { error: { method, message: t('mfa.throttled', { count: wait }) } });
    }
    ctx.status = 401;
    return showChallenge(ctx, deps, interaction, view, { error: { method, message: t('mfa.invalidCode') } });
  });
}
