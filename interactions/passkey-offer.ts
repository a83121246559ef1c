/**
 * "Create a passkey for faster sign-in?" between a finished password sign-in and the end of the
 * login: shown only when the account has no passkey and never answered "not now"
 * (passkey_offers), so it is not repeated. The finished sign-in waits in a signed cookie bound to
 * this interaction (ids and the computed amr/acr, never a secret) for at most OFFER_TTL_MS;
 * "Create passkey" and "Not now" both end the login with it, so skipping never blocks the
 * sign-in — nor does a failed ceremony: the page comes back with "Not now" still there.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Passkeys, SignInOutcome } from '../server/modules/auth/index.js';
import type { Renderer } from '../server/shared/rendering.js';
import { assertCsrf, csrfToken } from '../server/http/browser/csrf.js';
import { formBody } from '../server/http/browser/form-body.js';
import { clearCookie, readCookie, writeCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { continueTo, factsOf, renderInteractionPage, translatorFor } from './page.js';

export interface PasskeyOfferDeps {
  passkeys: Pick<Passkeys, 'list' | 'registrationOptions' | 'register' | 'offerDeclined'>;
  /** Whether the account answered "not now" before. */
  declined(userId: string): Promise<boolean>;
  decline(userId: string): Promise<void>;
  username(userId: string): Promise<string | undefined>;
}

type Done = Extract<SignInOutcome, { next: 'done' }>;
type PageDeps = { gateway: InteractionGateway; renderer: Renderer };

// Ten minutes to read the offer and touch the key; longer than a ceremony (CHALLENGE_TTL_MS, 5 min).
const OFFER_TTL_MS = 10 * 60 * 1000;
const OFFER_COOKIE: CookieSpec = { name: 'passkey_offer', path: '/interaction', maxAgeMs: OFFER_TTL_MS };

const doneSchema = z.object({
  next: z.literal('done'),
  userId: z.string().min(1),
  amr: z.array(z.string()),
  acr: z.string(),
  remember: z.boolean(),
  trustedDevice: z.object({ id: z.string(), expiresAt: z.number() }).optional(),
});
const cookieSchema = z.object({ i: z.string(), o: doneSchema });
const responseForm = z.object({ csrf: z.string(), response: z.string().min(2).max(12_000) });

/** The sign-in waiting at the offer of this interaction, or undefined. */
function waiting(ctx: Context, interaction: PendingInteraction): Done | undefined {
  const value = readCookie(ctx, OFFER_COOKIE, (v) => {
    const parsed = cookieSchema.safeParse(v);
    return parsed.success ? parsed.data : undefined;
  });
  return value?.i === interaction.uid ? (value.o as Done) : undefined;
}

/**
 * Shows the offer instead of ending the login when it applies (a password was the first factor,
 * the account has no passkey, "not now" was never answered). @returns whether it was shown.
 */
export async function offerPasskey(ctx: Context, deps: PasskeyOfferDeps, interaction: PendingInteraction, outcome: Done): Promise<boolean> {
  if (!outcome.amr.includes('pwd')) return false;
  const [declined, passkeys] = await Promise.all([deps.declined(outcome.userId), deps.passkeys.list(outcome.userId)]);
  if (declined || passkeys.length) return false;
  writeCookie(ctx, OFFER_COOKIE, { i: interaction.uid, o: outcome });
  continueTo(ctx, `/interaction/${interaction.uid}/passkey-offer`);
  return true;
}

function showOffer(ctx: Context, deps: PageDeps, interaction: PendingInteraction, error?: string) {
  const base = `/interaction/${interaction.uid}/passkey-offer`;
  renderInteractionPage(ctx, deps.renderer, interaction, 'interactions/passkey-offer', {
    titleId: 'passkeys.offerTitle',
    csrf: csrfToken(ctx),
    createAction: base,
    options: `${base}/options`,
    skipAction: `${base}/skip`,
    error,
  });
}

export function registerPasskeyOffer(router: Router, deps: PageDeps & { passkeyOffer: PasskeyOfferDeps }, finish: (ctx: Context, interaction: PendingInteraction, outcome: Done) => Promise<void>): void {
  const offer = deps.passkeyOffer;
  const key = (interaction: PendingInteraction) => `offer:${interaction.uid}`;

  /** The interaction and its waiting sign-in; anything else back to the interaction's start. */
  async function load(ctx: Context): Promise<{ interaction: PendingInteraction; done: Done } | undefined> {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const done = waiting(ctx, interaction);
    if (done) return { interaction, done };
    continueTo(ctx, `/interaction/${interaction.uid}`);
    return undefined;
  }

  async function end(ctx: Context, interaction: PendingInteraction, done: Done) {
    clearCookie(ctx, OFFER_COOKIE);
    await finish(ctx, interaction, done);
  }

  router.get('/interaction/:uid/passkey-offer', async (ctx) => {
    const loaded = await load(ctx);
    if (loaded) showOffer(ctx, deps, loaded.interaction);
  });

  router.post('/interaction/:uid/passkey-offer/options', async (ctx) => {
    assertCsrf(ctx, formBody(ctx).csrf);
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const done = waiting(ctx, interaction);
    const username = done ? await offer.username(done.userId) : undefined;
    ctx.set('Cache-Control', 'no-store');
    if (!done || !username) {
      ctx.status = 409;
      ctx.type = 'application/problem+json';
      ctx.body = { type: 'about:blank', title: 'No passkey offer waits in this sign-in', status: 409 };
      return;
    }
    ctx.body = await offer.passkeys.registrationOptions(key(interaction), { id: done.userId, username });
  });

  router.post('/interaction/:uid/passkey-offer', async (ctx) => {
    const body = formBody(ctx);
    assertCsrf(ctx, body.csrf);
    const loaded = await load(ctx);
    if (!loaded) return;
    const { interaction, done } = loaded;
    const form = responseForm.safeParse(body);
    let response: unknown;
    try {
      response = form.success ? JSON.parse(form.data.response) : undefined;
    } catch {
      response = undefined;
    }
    const result = response === undefined ? undefined : await offer.passkeys.register(key(interaction), done.userId, response, undefined, factsOf(ctx, interaction));
    if (result?.ok) return end(ctx, interaction, done);
    ctx.status = response === undefined ? 400 : 401;
    showOffer(ctx, deps, interaction, translatorFor(ctx, deps.renderer, interaction)(result?.reason === 'authenticator_not_allowed' ? 'passkeys.error.not_allowed' : 'passkeys.error.invalid'));
  });

  router.post('/interaction/:uid/passkey-offer/skip', async (ctx) => {
    assertCsrf(ctx, formBody(ctx).csrf);
    const loaded = await load(ctx);
    if (!loaded) return;
    await offer.decline(loaded.done.userId);
    await offer.passkeys.offerDeclined(loaded.done.userId, factsOf(ctx, loaded.interaction));
    await end(ctx, loaded.interaction, loaded.done);
  });
}
