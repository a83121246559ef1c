/**
 * What the sign-in pages share: the flow's request facts for this interaction, and following an
 * outcome of the sign-in flow (server/modules/auth, use-cases/sign-in.ts) that means "go
 * somewhere else": the next step's page, the start of the interaction, or — when the flow says
 * `done` — the end of the login, with the `amr` and `acr` the flow computed (STYLE.md 8).
 */
import type { Context } from 'koa';
import type { SignInFlow, SignInOutcome, SignInRequest } from '../server/modules/auth/index.js';
import type { AuditTrail } from '../server/modules/compliance/index.js';
import type { Renderer } from '../server/shared/rendering.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { continueTo, factsOf } from './page.js';
import { rememberTrustedDevice, trustedDeviceId } from './trusted-device-cookie.js';
import { noteDevice, type DeviceNoticeDeps } from '../account/device.js';
import { offerPasskey, type PasskeyOfferDeps } from './passkey-offer.js';

export interface SignInDeps {
  gateway: InteractionGateway;
  renderer: Renderer;
  signIn: SignInFlow;
  audit: AuditTrail;
  username(accountId: string): Promise<string | undefined>;
  /** MFA_TRUSTED_DEVICE_TTL in days, for the "trust this device" label. */
  trustedDeviceDays: number;
  /** Self-service: new-device notices when a sign-in completes, sign-up links on the sign-in page. */
  selfService?: DeviceNoticeDeps;
  /** "Create a passkey?" after a password sign-in (interactions/passkey-offer.ts); absent: PASSKEYS_ENABLED=false. */
  passkeyOffer?: PasskeyOfferDeps;
}

/** The sign-in flow's view of this request and interaction. */
export function signInRequest(ctx: Context, interaction: PendingInteraction): SignInRequest {
  return {
    uid: interaction.uid,
    ...factsOf(ctx, interaction),
    clientPolicy: interaction.client.mfaPolicy,
    acrValues: typeof interaction.params.acr_values === 'string' ? interaction.params.acr_values : undefined,
    trustedDeviceId: trustedDeviceId(ctx),
  };
}

/** Outcomes a page cannot render itself: they move the browser on. */
export type Onward = Extract<SignInOutcome, { next: 'done' | 'mfa' | 'enrol' | 'restart' }>;

export function isOnward(outcome: SignInOutcome): outcome is Onward {
  return outcome.next === 'done' || outcome.next === 'mfa' || outcome.next === 'enrol' || outcome.next === 'restart';
}

/** Prompts whose page is (or may become) the login form; the sign-in steps run under them. */
export const LOGIN_PROMPTS: ReadonlySet<string> = new Set(['login', 'select_account']);

const NEXT_PAGE = { mfa: 'mfa', enrol: 'mfa/enrol' } as const;

/** Sends the browser where `outcome` says; a finished sign-in ends the login at the provider. */
export async function follow(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, outcome: Onward): Promise<void> {
  if (outcome.next === 'restart') return continueTo(ctx, `/interaction/${interaction.uid}`);
  if (outcome.next !== 'done') return continueTo(ctx, `/interaction/${interaction.uid}/${NEXT_PAGE[outcome.next]}`);
  if (deps.passkeyOffer && (await offerPasskey(ctx, deps.passkeyOffer, interaction, outcome))) return;
  return finishSignIn(ctx, deps, interaction, outcome);
}

/** Ends the login at the provider with a finished sign-in. */
export async function finishSignIn(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, outcome: Extract<Onward, { next: 'done' }>): Promise<void> {
  if (outcome.trustedDevice) rememberTrustedDevice(ctx, outcome.trustedDevice.id, outcome.trustedDevice.expiresAt);
  if (deps.selfService) await noteDevice(ctx, deps.selfService, outcome.userId);
  const next = await deps.gateway.finishLogin(ctx, {
    accountId: outcome.userId,
    amr: outcome.amr,
    acr: outcome.acr,
    remember: outcome.remember,
    selectAccount: interaction.prompt === 'select_account',
  });
  continueTo(ctx, next);
}
