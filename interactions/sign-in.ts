/**
 * Between the password and the end of the login: asks the MFA policy (auth/domain/mfa-policy.ts)
 * whether this sign-in needs a second factor, sends the browser to the factor or enrolment page
 * if so, and finishes the login — with `amr` and `acr` saying what was used — only when every
 * required factor is done (STYLE.md 8).
 */
import type { Context } from 'koa';
import { authenticationContext, type AmrValue, type Lockout, type MfaService } from '../server/modules/auth/index.js';
import type { AuditTrail } from '../server/modules/compliance/index.js';
import type { Renderer } from '../server/shared/rendering.js';
import type { InteractionGateway, PendingInteraction } from './gateway.js';
import { clearPending, savePending } from './mfa-state.js';
import { continueTo, factsOf } from './page.js';
import { rememberTrustedDevice, trustedDeviceId } from './trusted-device-cookie.js';
import { noteDevice, type DeviceNoticeDeps } from '../account/device.js';

export interface SignInDeps {
  gateway: InteractionGateway;
  renderer: Renderer;
  mfa: MfaService;
  lockout: Lockout;
  audit: AuditTrail;
  username(accountId: string): Promise<string | undefined>;
  /** MFA_TRUSTED_DEVICE_TTL in days, for the "trust this device" label. */
  trustedDeviceDays: number;
  /** Self-service: new-device notices when a sign-in completes, sign-up links on the sign-in page. */
  selfService?: DeviceNoticeDeps;
}

/**
 * Called once the first factor succeeded: the password was right (and, if it had to be,
 * replaced), or an upstream OpenID Provider signed the user in (`methods` ['fed']).
 */
export async function continueAfterPassword(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, userId: string, remember: boolean, methods: AmrValue[] = ['pwd']) {
  const acrValues = typeof interaction.params.acr_values === 'string' ? interaction.params.acr_values : undefined;
  const decision = await deps.mfa.decide(userId, {
    clientPolicy: interaction.client.mfaPolicy,
    acrValues,
    trustedDevice: await deps.mfa.isTrustedDevice(userId, trustedDeviceId(ctx)),
  });
  if (decision.action === 'none') {
    return finishSignIn(ctx, deps, interaction, { userId, methods, remember, trust: false, via: decision.reason });
  }
  await deps.audit.record({
    type: 'auth.mfa.challenge',
    outcome: 'success',
    actor: { type: 'user', id: userId },
    subject: { type: 'user', id: userId },
    ...factsOf(ctx, interaction),
    details: { action: decision.action, reason: decision.reason, ...(decision.action === 'challenge' ? { factors: decision.factors.join(' ') } : {}) },
  });
  savePending(ctx, { uid: interaction.uid, userId, remember, methods, reason: decision.reason });
  continueTo(ctx, `/interaction/${interaction.uid}/${decision.action === 'enrol' ? 'mfa/enrol' : 'mfa'}`);
}

export interface SignInResult {
  userId: string;
  methods: AmrValue[];
  remember: boolean;
  /** The user asked to trust this device (only honoured after a second factor). */
  trust: boolean;
  /** Why no second factor was asked, for the audit record. */
  via?: string;
}

export async function finishSignIn(ctx: Context, deps: SignInDeps, interaction: PendingInteraction, result: SignInResult) {
  const { amr, acr } = authenticationContext(result.methods);
  const facts = factsOf(ctx, interaction);
  if (result.trust && amr.includes('mfa')) {
    const device = await deps.mfa.trustDevice(result.userId, facts.userAgent, facts);
    rememberTrustedDevice(ctx, device.id, device.expiresAt);
  }
  await deps.audit.record({
    type: 'auth.login.success',
    outcome: 'success',
    actor: { type: 'user', id: result.userId },
    subject: { type: 'user', id: result.userId },
    ...facts,
    details: { amr: amr.join(' '), acr, ...(result.via ? { mfa: result.via } : {}) },
  });
  clearPending(ctx, interaction.uid);
  if (deps.selfService) await noteDevice(ctx, deps.selfService, result.userId);
  const next = await deps.gateway.finishLogin(ctx, {
    accountId: result.userId,
    amr,
    acr,
    remember: result.remember,
    selectAccount: interaction.prompt === 'select_account',
  });
  continueTo(ctx, next);
}
