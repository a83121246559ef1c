/**
 * What second factors an account has, for pages and APIs (sanitized: never a secret, hash or
 * code), and the MFA decision for a sign-in (domain/mfa-policy.ts) fed with them.
 */
import type { FactorSummary, FactorType } from '../domain/factor.js';
import { decideMfa, type ClientMfaPolicy, type MfaDecision } from '../domain/mfa-policy.js';
import { recoveryCodesFactor } from '../domain/recovery-codes.js';
import { maskPhone } from '../domain/sms-challenge.js';
import { totpFactor } from '../domain/totp-factor.js';
import type { UserRepository } from '../../users/index.js';
import { passkeysSummary } from '../domain/passkey.js';
import type { MfaCredentialStore, PasskeyStore } from '../ports.js';
import { verifiedPhone } from './sms-codes.js';

export interface FactorDeps {
  credentials: Pick<MfaCredentialStore, 'findFactors'>;
  users: Pick<UserRepository, 'findById'>;
  /** Passkeys count as a second factor after a password (security keys); absent: passkeys are off. */
  passkeys?: Pick<PasskeyStore, 'listFor'> | undefined;
  /** SMS codes as a factor (MFA_SMS_ENABLED); off: a verified phone is not offered. Default on. */
  smsEnabled?: boolean;
}

/** Active factors of the account: TOTP (when confirmed), SMS (when on and the phone is verified), recovery codes (when any are left). */
export async function listFactors(deps: FactorDeps, userId: string): Promise<FactorSummary[]> {
  const sms = deps.smsEnabled === false ? undefined : verifiedPhone(deps, userId);
  const [{ totp, recoveryCodes: codes }, phone, passkeys] = await Promise.all([deps.credentials.findFactors(userId), sms, deps.passkeys?.listFor(userId) ?? []]);
  const factors: FactorSummary[] = [];
  const passkey = passkeysSummary(passkeys);
  if (passkey) factors.push(passkey);
  if (totp?.status === 'active') factors.push(totpFactor(totp).sanitize());
  if (phone) factors.push({ type: 'sms', since: null, detail: maskPhone(phone) });
  if (codes?.hashes.length) factors.push(recoveryCodesFactor(codes).sanitize());
  return factors;
}

export interface SignInMfaInput {
  enabled: boolean;
  clientPolicy: ClientMfaPolicy;
  acrValues: string | undefined;
  trustedDevice: boolean;
}

export async function mfaDecisionFor(deps: FactorDeps, userId: string, input: SignInMfaInput): Promise<MfaDecision> {
  const usable: FactorType[] = (await listFactors(deps, userId)).map((f) => f.type);
  // A passkey is opted into like an authenticator app: once added, a password alone is not enough.
  return decideMfa({ ...input, usable, enrolled: usable.filter((f) => f === 'totp' || f === 'passkey') });
}
