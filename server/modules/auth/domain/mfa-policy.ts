/**
 * When a sign-in needs a second factor — the interaction-policy decision of STYLE.md 8, made
 * once here and used by the login step (after the password) and by the provider's step-up
 * check (for an existing session).
 *
 *   - MFA switched off globally: never.
 *   - Step-up: the client asked `acr_values` for ACR_MFA — always, even on a trusted device.
 *     When it accepts nothing weaker than a passkey (`phr`), only a passkey is offered, and an
 *     account without one is refused (`passkey_required`): no code can stand in for it.
 *   - The client's `mfa_policy` is `required`, or the account has enrolled TOTP: yes, unless
 *     this browser is a trusted device of the account.
 *   - Otherwise: no.
 * An existing session is checked by sessionNeedsStepUp below.
 * When a second factor is needed and the account has none it can use, it enrols TOTP now.
 */
import { acrLevel, requestedLevel, requestsMfa, requestsPasskey } from './authentication-context.js';
import type { FactorType } from './factor.js';

export type ClientMfaPolicy = 'optional' | 'required';
export const CLIENT_MFA_POLICIES = ['optional', 'required'] as const;

export interface MfaPolicyInput {
  /** The global switch (MFA_ENABLED). */
  enabled: boolean;
  clientPolicy: ClientMfaPolicy;
  /** The request's `acr_values`, as sent. */
  acrValues: string | undefined;
  /** Factors the user opted into (an active TOTP). */
  enrolled: readonly FactorType[];
  /** Factors usable right now: enrolled ones, SMS to a verified phone, unused recovery codes. */
  usable: readonly FactorType[];
  trustedDevice: boolean;
}

export type MfaDecision =
  | { action: 'none'; reason: 'disabled' | 'not_required' | 'trusted_device' }
  | { action: 'challenge'; reason: MfaReason; factors: FactorType[] }
  | { action: 'enrol'; reason: MfaReason }
  | { action: 'refuse'; reason: 'passkey_required' };

export type MfaReason = 'step_up' | 'client_policy' | 'enrolled';

// Factors that can carry a sign-in on their own as second factor; recovery codes are the way
// back in when those are lost, not a reason to skip enrolling one.
const PRIMARY: readonly FactorType[] = ['passkey', 'totp', 'sms'];

export function decideMfa(input: MfaPolicyInput): MfaDecision {
  if (!input.enabled) return { action: 'none', reason: 'disabled' };
  if (requestsPasskey(input.acrValues)) {
    return input.usable.includes('passkey') ? { action: 'challenge', reason: 'step_up', factors: ['passkey'] } : { action: 'refuse', reason: 'passkey_required' };
  }
  const stepUp = requestsMfa(input.acrValues);
  const reason: MfaReason | undefined = stepUp ? 'step_up' : input.clientPolicy === 'required' ? 'client_policy' : input.enrolled.length ? 'enrolled' : undefined;
  if (!reason) return { action: 'none', reason: 'not_required' };
  if (!stepUp && input.trustedDevice && input.enrolled.length) return { action: 'none', reason: 'trusted_device' };
  const factors = input.usable.filter((f) => PRIMARY.includes(f));
  if (!factors.length) return { action: 'enrol', reason };
  return { action: 'challenge', reason, factors: [...factors, ...input.usable.filter((f) => !PRIMARY.includes(f))] };
}

/**
 * For an existing session (no password typed in this request): does the provider have to ask
 * again? When the session did not use a second factor and the client wants one — through
 * `acr_values` (step-up) or its `mfa_policy: required` — since single sign-on would otherwise
 * carry a password-only session into such a client.
 */
export function sessionNeedsStepUp(input: {
  enabled: boolean;
  acrValues: string | undefined;
  clientPolicy: ClientMfaPolicy;
  sessionAcr: string | undefined;
  mfaAcr: string;
}): boolean {
  if (!input.enabled) return false;
  const held = acrLevel(input.sessionAcr);
  const needed = Math.max(requestedLevel(input.acrValues) ?? 0, input.clientPolicy === 'required' ? acrLevel(input.mfaAcr) : 0);
  return held < needed && (requestsMfa(input.acrValues) || input.clientPolicy === 'required');
}
