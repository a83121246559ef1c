/**
 * The small interface every second factor implements (STYLE.md items 5, 6, 16): it verifies a
 * proof and says what its stored state becomes, and it serializes in two ways — in full for
 * storage and sanitized (no secret, hash or code) for pages and APIs. Factors are pure: the
 * cryptography (HMAC for TOTP, hashing of codes) is done by adapters before `verify` is called,
 * and the storage applies the returned state atomically.
 */
import type { AmrValue } from './authentication-context.js';

export type FactorType = 'totp' | 'sms' | 'recovery_codes' | 'passkey';

export type Verification<Stored, Failure extends string> =
  | { ok: true; next: Stored }
  | { ok: false; reason: Failure; next?: Stored };

/** What a page or an API may show about a factor. */
export interface FactorSummary {
  type: FactorType;
  /** ISO 8601 time the factor became usable. */
  since: string | null;
  /** Factor-specific, non-secret detail (masked phone number, codes left). */
  detail: string | null;
}

export interface Factor<Stored, Proof, Failure extends string> {
  readonly type: FactorType;
  /** The RFC 8176 method this factor adds to `amr` when it is used. */
  readonly amr: AmrValue;
  verify(proof: Proof): Verification<Stored, Failure>;
  serialize(): Stored;
  sanitize(): FactorSummary;
}

/** How the sign-in's second-factor form names the factor used (its `method` field). */
export const CHALLENGE_METHODS = ['totp', 'sms', 'recovery'] as const;
export type ChallengeMethod = (typeof CHALLENGE_METHODS)[number];
