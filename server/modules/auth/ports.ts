/** What the auth module needs from storage, cryptography and the clock; adapters implement these. */
import type { RecoveryCodesRecord } from './domain/recovery-codes.js';
import type { SignInState } from './domain/sign-in-flow.js';
import type { SmsChallenge } from './domain/sms-challenge.js';
import type { TotpRecord } from './domain/totp-factor.js';
import type { TrustedDevice } from './domain/trusted-device.js';

/** RFC 6238 arithmetic (HMAC), done by a library. */
export interface TotpEngine {
  /** A new random base32 secret (160 bits, RFC 4226 §4's recommendation). */
  generateSecret(): string;
  /** The time step `code` matches within ±`driftSteps` of `nowMs`, or undefined. */
  matchStep(secret: string, code: string, nowMs: number, driftSteps: number): Promise<number | undefined>;
  /** The otpauth:// URI authenticator apps read from the QR code. */
  keyUri(secret: string, accountName: string, issuer: string): string;
}

export interface QrCodeRenderer {
  /** A `data:image/svg+xml` URI of the QR code of `text` (an <img> source; no script, no inline style). */
  dataUri(text: string): Promise<string>;
}

/** Encryption at rest bound to a context (adapters/crypto/envelope.ts). */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** Keyed hashes of short codes (HMAC): a stolen table alone does not allow testing guesses offline. */
export interface CodeHasher {
  hash(purpose: 'recovery-code' | 'sms-code', code: string): string;
}

export interface RandomBytes {
  (length: number): Uint8Array;
}

export interface MfaCredentialStore {
  findTotp(userId: string): Promise<TotpRecord | undefined>;
  /** Replaces the user's TOTP record (one per user). */
  saveTotp(userId: string, record: TotpRecord): Promise<void>;
  /**
   * Records `step` as the last accepted step of an active TOTP, only if it is greater than the
   * stored one. @returns false when another request got there first (the code was reused).
   */
  acceptTotpStep(userId: string, step: number): Promise<boolean>;
  deleteTotp(userId: string): Promise<boolean>;
  findRecoveryCodes(userId: string): Promise<RecoveryCodesRecord | undefined>;
  saveRecoveryCodes(userId: string, record: RecoveryCodesRecord): Promise<void>;
  /** Removes `hash` from the unused codes in one conditional update. @returns whether it was there. */
  consumeRecoveryCode(userId: string, hash: string): Promise<boolean>;
  deleteRecoveryCodes(userId: string): Promise<boolean>;
}

export interface SmsChallengeStore {
  create(challenge: SmsChallenge): Promise<void>;
  find(id: string): Promise<SmsChallenge | undefined>;
  latestFor(userId: string): Promise<SmsChallenge | undefined>;
  recordFailure(id: string): Promise<void>;
  /**
   * Marks the challenge used if it is unused, unexpired, within its attempts and its hash is
   * `hash` — one conditional update. @returns whether this call consumed it.
   */
  consume(id: string, hash: string, nowMs: number, maxAttempts: number): Promise<boolean>;
}

export interface TrustedDeviceStore {
  create(device: TrustedDevice): Promise<void>;
  find(id: string): Promise<TrustedDevice | undefined>;
  listFor(userId: string): Promise<TrustedDevice[]>;
  /** @returns whether a live device of this user was revoked. */
  revoke(userId: string, id: string, nowMs: number): Promise<boolean>;
  revokeAll(userId: string, nowMs: number): Promise<number>;
}

/**
 * Failure counters and blocks for backoff, shared by every process (Redis) or in process
 * (embedded default). Counters forget after their window.
 */
export interface BackoffStore {
  /** Adds a failure to `key`. @returns the failures counted in the current window. */
  recordFailure(key: string): Promise<number>;
  /** Refuses `key` for `seconds`. */
  block(key: string, seconds: number): Promise<void>;
  /** @returns seconds until `key` may try again (0: now). */
  blockedFor(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

/**
 * Sign-ins waiting between their first factor and their last step (domain/sign-in-flow.ts), one
 * per interaction. Kept server-side so the browser cannot alter or replay them; each expires.
 */
export interface SignInFlowStore {
  /** Creates or replaces the state of interaction `state.uid`. */
  save(state: SignInState): Promise<void>;
  /** @returns the stored state of interaction `uid`, expired or not (the caller checks). */
  find(uid: string): Promise<SignInState | undefined>;
  delete(uid: string): Promise<void>;
}
