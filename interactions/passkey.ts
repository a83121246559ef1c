/**
 * Passkeys on the sign-in pages: the options of a ceremony (JSON for the page script,
 * public/passkeys.js) and its response, posted as a form field. As the first factor the passkey
 * is found by the browser (usernameless, or offered in the username field's autofill); as the
 * second factor the account waiting for one is asked for one of its passkeys. The sign-in flow
 * (server/modules/auth) checks the challenge, the signature and the counter, backs off refused
 * attempts and audits; this file parses and renders.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { formBody } from '../server/http/browser/form-body.js';
import type { PendingInteraction } from './gateway.js';
import { showLogin, waitMessage, type LoginDeps } from './login.js';
import { showChallengeAgain } from './mfa.js';
import { continueTo, translatorFor } from './page.js';
import { follow, isOnward, LOGIN_PROMPTS, signInRequest } from './sign-in.js';

const optionsForm = z.object({ csrf: z.string(), for: z.enum(['login', 'mfa']) });
// A WebAuthn response as JSON: a few KB at most (FORM_LIMIT_BYTES bounds it anyway).
const responseForm = z.object({ csrf: z.string(), response: z.string().min(2).max(12_000), remember: z.literal('yes').optional(), trust: z.literal('yes').optional() });

/** The response field as JSON, or undefined. */
function parseResponse(body: Record<string, unknown>) {
  const form = responseForm.safeParse(body);
  if (!form.success) return undefined;
  try {
    return { form: form.data, response: JSON.parse(form.data.response) as unknown };
  } catch {
    return undefined;
  }
}

async function loadForLogin(ctx: Context, deps: LoginDeps): Promise<PendingInteraction | undefined> {
  const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
  if (LOGIN_PROMPTS.has(interaction.prompt)) return interaction;
  continueTo(ctx, `/interaction/${interaction.uid}`);
  return undefined;
}

export function registerPasskeySignIn(router: Router, deps: LoginDeps): void {
  router.post('/interaction/:uid/passkey/options', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const form = optionsForm.safeParse(body);
    const options = form.success && LOGIN_PROMPTS.has(interaction.prompt) ? await deps.signIn.passkeyOptions(signInRequest(ctx, interaction), form.data.for) : undefined;
    ctx.set('Cache-Control', 'no-store');
    if (!options) {
      ctx.status = 409;
      ctx.type = 'application/problem+json';
      ctx.body = { type: 'about:blank', title: 'No passkey ceremony can start in this sign-in', status: 409 };
      return;
    }
    ctx.body = options;
  });

  router.post('/interaction/:uid/passkey', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const interaction = await loadForLogin(ctx, deps);
    if (!interaction) return;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const parsed = parseResponse(body);
    const outcome = parsed
      ? await deps.signIn.submitPasskey(signInRequest(ctx, interaction), parsed.response, parsed.form.remember === 'yes')
      : ({ next: 'error', error: 'passkey_refused' } as const);
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    if (outcome.next === 'error' && outcome.error === 'throttled') {
      const wait = outcome.retryAfter ?? 1;
      ctx.status = 429;
      ctx.set('Retry-After', String(wait));
      return showLogin(ctx, deps, interaction, { error: waitMessage(t, wait) });
    }
    ctx.status = parsed ? 401 : 400;
    return showLogin(ctx, deps, interaction, { alert: t('passkeys.refused') });
  });

  router.post('/interaction/:uid/mfa/passkey', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const interaction = await loadForLogin(ctx, deps);
    if (!interaction) return;
    const t = translatorFor(ctx, deps.renderer, interaction);
    const parsed = parseResponse(body);
    const outcome = await deps.signIn.submitSecondFactorPasskey(signInRequest(ctx, interaction), parsed?.response, parsed?.form.trust === 'yes');
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    const throttled = outcome.next === 'error' && outcome.error === 'throttled';
    if (throttled) ctx.set('Retry-After', String(outcome.retryAfter ?? 1));
    ctx.status = throttled ? 429 : 401;
    const message = throttled ? t('mfa.throttled', { seconds: outcome.retryAfter ?? 1 }) : t('passkeys.refused');
    return showChallengeAgain(ctx, deps, interaction, { error: { method: 'passkey', message } });
  });
}
