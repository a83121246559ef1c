/**
 * What happens on the first sign-in with an upstream account that is not linked to anyone yet.
 * Linking to an existing account by email is the classic account-takeover path (an upstream that
 * lets anyone claim any address), so it needs three things: the operator enabled it, the upstream
 * asserted `email_verified: true`, and the person proves the existing account (its password).
 */
import type { UpstreamIdentity } from './identity.js';

export interface FederationPolicy {
  /** FEDERATION_AUTO_REGISTER */
  autoRegister: boolean;
  /** FEDERATION_LINK_BY_EMAIL */
  linkByEmail: boolean;
  /** FEDERATION_TRUST_UPSTREAM_MFA */
  trustUpstreamMfa: boolean;
}

/** The account that already uses the upstream's email address, if any. */
export interface AccountWithEmail {
  userId: string;
  hasPassword: boolean;
  disabled: boolean;
}

export type RefusalReason =
  /** The email belongs to an account and linking by email is off. */
  | 'account_exists'
  /** The email belongs to an account but the upstream did not assert it verified. */
  | 'email_unverified'
  /** The account with that email has no password to prove it with. */
  | 'cannot_prove'
  /** No account is linked and auto-registration is off. */
  | 'not_registered'
  /** The linked (or matching) account is disabled. */
  | 'disabled';

export type FirstSignInDecision =
  | { action: 'link'; userId: string }
  | { action: 'register' }
  | { action: 'refuse'; reason: RefusalReason };

export function decideFirstSignIn(upstream: UpstreamIdentity, existing: AccountWithEmail | undefined, policy: FederationPolicy): FirstSignInDecision {
  if (existing) {
    if (existing.disabled) return { action: 'refuse', reason: 'disabled' };
    if (!policy.linkByEmail) return { action: 'refuse', reason: 'account_exists' };
    if (!upstream.emailVerified) return { action: 'refuse', reason: 'email_unverified' };
    if (!existing.hasPassword) return { action: 'refuse', reason: 'cannot_prove' };
    return { action: 'link', userId: existing.userId };
  }
  return policy.autoRegister ? { action: 'register' } : { action: 'refuse', reason: 'not_registered' };
}

/**
 * Whether the upstream's own multi-factor sign-in stands in for ours: only when the operator
 * trusts upstream MFA and the ID token's `amr` says `mfa` (RFC 8176 §2).
 */
export function upstreamSatisfiesMfa(amr: readonly string[], policy: Pick<FederationPolicy, 'trustUpstreamMfa'>): boolean {
  return policy.trustUpstreamMfa && amr.includes('mfa');
}

/**
 * The last-way-in rule: a user may unlink an upstream identity only if some other way to sign in
 * remains — a password, or another linked identity.
 */
export function mayUnlink(input: { hasPassword: boolean; linkedIdentities: number }): boolean {
  return input.hasPassword || input.linkedIdentities > 1;
}

/**
 * A username for an auto-registered account: the upstream's preferred_username or the email's
 * local part, reduced to the characters usernames allow (users/domain/user.ts), else "user".
 */
export function usernameCandidate(upstream: Pick<UpstreamIdentity, 'preferredUsername' | 'email'>): string {
  const source = upstream.preferredUsername ?? upstream.email?.split('@')[0] ?? '';
  const cleaned = source.normalize('NFKC').replace(/[^\p{L}\p{N}._-]/gu, '').slice(0, 48);
  return cleaned.length >= 3 ? cleaned : 'user';
}
