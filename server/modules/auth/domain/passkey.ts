/**
 * Passkeys (WebAuthn credentials) as records and the rules about them, pure: the signature and
 * origin checks are done by the WebAuthn adapter before these rules run.
 *
 *   - Signature counter (WebAuthn §6.1.1): a device-bound authenticator that counts must show a
 *     counter greater than the stored one; one that does not grow means a cloned key, so the
 *     assertion is refused. Synced passkeys report 0 forever, which is allowed (0 and 0).
 *   - User verification is required for every passkey ceremony (the PIN or biometric is the
 *     second factor inside the passkey).
 *   - The last way to sign in (password, upstream identity, passkey) is never removed.
 *   - With an AAGUID allow-list, only authenticators of those models may be registered.
 */
import { truncate, wellFormed } from '../../../shared/unicode.js';
import type { AmrValue } from './authentication-context.js';
import type { FactorSummary } from './factor.js';

export interface Passkey {
  /** Our id (for URLs), not the credential id. */
  id: string;
  userId: string;
  /** The WebAuthn credential id, base64url. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  /** The authenticator model (all zeros when the authenticator does not say). */
  aaguid: string;
  name: string;
  /** Backup eligible (BE flag): a synced, multi-device passkey. */
  synced: boolean;
  /** Backed up (BS flag) at the last ceremony. */
  backedUp: boolean;
  /** Epoch ms. */
  createdAt: number;
  lastUsedAt: number | null;
}

/** What the adapter proved about an assertion: the signature, challenge, origin and RP ID are right. */
export interface VerifiedAssertion {
  credentialId: string;
  newCounter: number;
  userVerified: boolean;
  backedUp: boolean;
}

export type AssertionFailure = 'counter_regressed' | 'user_not_verified';

/**
 * @returns the passkey as it is after this assertion, or why it is refused.
 * @see https://www.w3.org/TR/webauthn-3/#sctn-sign-counter
 */
export function acceptAssertion(passkey: Passkey, verified: VerifiedAssertion, now: number): { ok: true; next: Passkey } | { ok: false; reason: AssertionFailure } {
  if (!verified.userVerified) return { ok: false, reason: 'user_not_verified' };
  const counts = verified.newCounter > 0 || passkey.counter > 0;
  if (counts && verified.newCounter <= passkey.counter) return { ok: false, reason: 'counter_regressed' };
  return { ok: true, next: { ...passkey, counter: verified.newCounter, backedUp: verified.backedUp, lastUsedAt: now } };
}

/** RFC 8176 methods of a passkey sign-in: `swk` for a synced key, `hwk` for a device-bound one, `user` for the verification. */
export function passkeyAmr(passkey: Pick<Passkey, 'synced'>): AmrValue[] {
  return [passkey.synced ? 'swk' : 'hwk', 'user'];
}

/** Whether removing one passkey would leave the account with no way to sign in. */
export function mayRemovePasskey(input: { hasPassword: boolean; linkedIdentities: number; passkeys: number }): boolean {
  return input.hasPassword || input.linkedIdentities > 0 || input.passkeys > 1;
}

/** An empty allow-list allows every authenticator. AAGUIDs compare case-insensitively. */
export function aaguidAllowed(aaguid: string, allowList: readonly string[]): boolean {
  return !allowList.length || allowList.some((a) => a.toLowerCase() === aaguid.toLowerCase());
}

/**
 * Names are the user's labels: well-formed (no NUL, no lone surrogate), control characters and
 * runs of spaces made single spaces, trimmed, at most this long, never empty (the fallback instead).
 */
export const PASSKEY_NAME_MAX = 64;

export function passkeyName(input: string | undefined, fallback: string): string {
  // eslint-disable-next-line no-control-regex
  const name = wellFormed(input ?? '').replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return name ? truncate(name, PASSKEY_NAME_MAX) : fallback;
}

/** The account's passkeys as one factor, for the second-factor page and the MFA policy. */
export function passkeysSummary(passkeys: readonly Passkey[]): FactorSummary | undefined {
  if (!passkeys.length) return undefined;
  const first = Math.min(...passkeys.map((p) => p.createdAt));
  return { type: 'passkey', since: new Date(first).toISOString(), detail: String(passkeys.length) };
}
