/** What the auth module needs from storage, cryptography and the clock; adapters implement these. */
import type { Passkey, VerifiedAssertion } from './domain/passkey.js';
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
  /** Both of the above in one read: what a sign-in's MFA decision needs. */
  findFactors(userId: string): Promise<{ totp: TotpRecord | undefined; recoveryCodes: RecoveryCodesRecord | undefined }>;
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

/** The account's passkeys (WebAuthn credentials), one row each. */
export interface PasskeyStore {
  create(passkey: Passkey): Promise<void>;
  listFor(userId: string): Promise<Passkey[]>;
  findByCredentialId(credentialId: string): Promise<Passkey | undefined>;
  /**
   * Writes the state after an assertion only if the counter is still `expectedCounter` — one
   * conditional update, so two uses of one assertion at the same moment cannot both pass.
   * @returns whether this call wrote it.
   */
  recordUse(passkey: Passkey, expectedCounter: number): Promise<boolean>;
  rename(userId: string, id: string, name: string): Promise<boolean>;
  delete(userId: string, id: string): Promise<boolean>;
  deleteAll(userId: string): Promise<number>;
}

/**
 * WebAuthn challenges, server-side: each is stored under a key naming its ceremony (the
 * interaction, or the account session) and taken once — `take` returns it and forgets it, so a
 * replayed response finds nothing. Each expires.
 */
export interface WebAuthnChallengeStore {
  /** Replaces any challenge stored under `key`. */
  put(key: string, challenge: WebAuthnChallenge): Promise<void>;
  /** @returns the live challenge under `key` and removes it, or undefined. */
  take(key: string, nowMs: number): Promise<WebAuthnChallenge | undefined>;
}

export interface WebAuthnChallenge {
  /** base64url */
  challenge: string;
  /** The account the ceremony is for (registration, second factor); absent for a usernameless sign-in. */
  userId?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** The relying party the ceremonies run for: WEBAUTHN_RP_ID and the origins allowed to use it. */
export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
}

/** WebAuthn's cryptography and parsing, done by a library (adapters/webauthn). */
export interface WebAuthnVerifier {
  registrationOptions(input: { rp: RelyingParty; challenge: string; user: { id: string; name: string; displayName: string }; exclude: Array<Pick<Passkey, 'credentialId' | 'transports'>> }): Promise<Record<string, unknown>>;
  authenticationOptions(input: { rp: RelyingParty; challenge: string; allow: Array<Pick<Passkey, 'credentialId' | 'transports'>> }): Promise<Record<string, unknown>>;
  /** @returns the new credential, or undefined when the response does not verify (challenge, origin, RP ID, UV, signature). */
  verifyRegistration(input: { rp: RelyingParty; challenge: string; response: unknown }): Promise<Omit<Passkey, 'id' | 'userId' | 'name' | 'createdAt' | 'lastUsedAt'> | undefined>;
  /** The credential id and user handle a response names (undefined: not a WebAuthn assertion). */
  assertionIds(response: unknown): { credentialId: string; userHandle: string | undefined } | undefined;
  /** @returns what the assertion proves, or undefined when it does not verify for `passkey`. */
  verifyAssertion(input: { rp: RelyingParty; challenge: string; response: unknown; passkey: Passkey }): Promise<VerifiedAssertion | undefined>;
}
