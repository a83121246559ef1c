/**
 * The sign-in in progress between the password and the last required factor: who passed the
 * password, which methods were used so far, and the pending SMS challenge. It lives in a signed,
 * HttpOnly, short-lived cookie scoped to this interaction's path, so it cannot be moved to
 * another interaction or altered, and login completes only through the factor pages.
 */
import type { Context } from 'koa';
import type { AmrValue, MfaReason } from '../server/modules/auth/index.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { continueTo } from './page.js';

const COOKIE = 'mfa_pending';
// Time to find the phone and type a code, or to set up an authenticator app.
const PENDING_MS = 15 * 60 * 1000;

export interface PendingSignIn {
  uid: string;
  userId: string;
  remember: boolean;
  methods: AmrValue[];
  reason: MfaReason;
  /** Set while an SMS code is outstanding. */
  smsChallengeId?: string;
  /** Set once TOTP was enrolled in this sign-in (the recovery codes page comes next). */
  enrolled?: boolean;
}

function options(ctx: Context, uid: string) {
  return { signed: true, httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: `/interaction/${uid}`, overwrite: true };
}

export function savePending(ctx: Context, state: PendingSignIn): void {
  ctx.cookies.set(COOKIE, Buffer.from(JSON.stringify(state)).toString('base64url'), { ...options(ctx, state.uid), maxAge: PENDING_MS });
}

/** @returns the pending sign-in of this interaction, or undefined (none, another interaction's, or tampered). */
export function readPending(ctx: Context, uid: string): PendingSignIn | undefined {
  const raw = ctx.cookies.get(COOKIE, { signed: true });
  if (!raw) return undefined;
  try {
    const state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PendingSignIn;
    return state.uid === uid && typeof state.userId === 'string' && Array.isArray(state.methods) ? state : undefined;
  } catch {
    return undefined;
  }
}

export function clearPending(ctx: Context, uid: string): void {
  ctx.cookies.set(COOKIE, null, options(ctx, uid));
}

/**
 * Loads the interaction and this browser's pending sign-in for a second-factor step; redirects to
 * the start of the interaction (and resolves undefined) when there is none or the prompt moved on.
 */
export async function loadPendingSignIn(
  ctx: Context,
  gateway: Pick<InteractionGateway, 'load'>,
  prompts: ReadonlySet<string>,
): Promise<{ interaction: PendingInteraction; pending: PendingSignIn } | undefined> {
  const interaction = await gateway.load(ctx, ctx.params.uid ?? '');
  const pending = readPending(ctx, interaction.uid);
  if (!pending || !prompts.has(interaction.prompt)) {
    continueTo(ctx, `/interaction/${interaction.uid}`);
    return undefined;
  }
  return { interaction, pending };
}
