/**
 * Passkey ceremonies and management (WebAuthn Level 3): options with a fresh server-side
 * challenge, verification of the response through the WebAuthn adapter, then the domain's rules
 * (domain/passkey.ts: counter, user verification, AAGUID allow-list, the last way to sign in).
 * Each challenge is taken once from the store, so a replayed response finds no challenge. Every
 * change and every refused assertion is audited (identifiers only).
 */
import type { AuditTrail } from '../../compliance/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { AmrValue } from '../domain/authentication-context.js';
import { authenticatorName } from '../domain/aaguids.js';
import { aaguidAllowed, acceptAssertion, mayRemovePasskey, passkeyAmr, passkeyName, type Passkey } from '../domain/passkey.js';
import type { PasskeyStore, RandomBytes, RelyingParty, WebAuthnChallengeStore, WebAuthnVerifier } from '../ports.js';
import { recordFor, type AuditContext } from './mfa-audit.js';

/** Long enough to find the key and touch it or type a PIN; WebAuthn's own timeout hint is the same. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
// 32 random bytes: WebAuthn §13.4.3 asks for at least 16.
const CHALLENGE_BYTES = 32;

export interface PasskeyDeps {
  passkeys: PasskeyStore;
  challenges: WebAuthnChallengeStore;
  webauthn: WebAuthnVerifier;
  rp: RelyingParty;
  /** WEBAUTHN_AAGUID_ALLOWLIST (empty: any authenticator). */
  aaguidAllowList: readonly string[];
  /** The account's other ways to sign in, for the last-method rule. */
  signInMethods(userId: string): Promise<{ hasPassword: boolean; linkedIdentities: number }>;
  random: RandomBytes;
  newId: () => string;
  clock: Clock;
  audit: AuditTrail;
}

/** A passkey as /account lists it. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  synced: boolean;
  authenticator: string | undefined;
}

export type RegistrationFailure = 'no_challenge' | 'invalid_response' | 'authenticator_not_allowed' | 'already_registered';
export type AssertionRefusal = 'no_challenge' | 'unknown_credential' | 'wrong_user' | 'invalid_response' | 'counter_regressed' | 'user_not_verified' | 'replayed';

export type PasskeyAssertion = { ok: true; userId: string; amr: AmrValue[]; passkeyId: string } | { ok: false; reason: AssertionRefusal };

const base64url = (bytes: Uint8Array) => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

export function createPasskeys(deps: PasskeyDeps) {
  const record = recordFor(deps.audit);
  const now = () => deps.clock.now().getTime();

  async function challengeFor(key: string, userId?: string): Promise<string> {
    const challenge = base64url(deps.random(CHALLENGE_BYTES));
    await deps.challenges.put(key, { challenge, ...(userId ? { userId } : {}), expiresAt: now() + CHALLENGE_TTL_MS });
    return challenge;
  }

  async function refuse(reason: AssertionRefusal, userId: string | undefined, facts: AuditContext | undefined): Promise<PasskeyAssertion> {
    await record('auth.passkey.refused', 'denied', userId, facts, { reason });
    return { ok: false, reason };
  }

  return {
    rp: deps.rp,

    /** Options for navigator.credentials.create(), with a challenge stored under `key` for this user. */
    async registrationOptions(key: string, user: { id: string; username: string; displayName?: string | undefined }) {
      const existing = await deps.passkeys.listFor(user.id);
      const challenge = await challengeFor(`reg:${key}`, user.id);
      return deps.webauthn.registrationOptions({ rp: deps.rp, challenge, user: { id: user.id, name: user.username, displayName: user.displayName || user.username }, exclude: existing });
    },

    /** Verifies a new passkey's registration response and stores it. */
    async register(key: string, userId: string, response: unknown, name: string | undefined, facts?: AuditContext): Promise<{ ok: true; passkey: PasskeyView } | { ok: false; reason: RegistrationFailure }> {
      const stored = await deps.challenges.take(`reg:${key}`, now());
      if (!stored || stored.userId !== userId) return { ok: false, reason: 'no_challenge' };
      const credential = await deps.webauthn.verifyRegistration({ rp: deps.rp, challenge: stored.challenge, response });
      if (!credential) {
        await record('auth.passkey.refused', 'denied', userId, facts, { reason: 'invalid_registration' });
        return { ok: false, reason: 'invalid_response' };
      }
      if (!aaguidAllowed(credential.aaguid, deps.aaguidAllowList)) {
        await record('auth.passkey.refused', 'denied', userId, facts, { reason: 'authenticator_not_allowed', aaguid: credential.aaguid });
        return { ok: false, reason: 'authenticator_not_allowed' };
      }
      if (await deps.passkeys.findByCredentialId(credential.credentialId)) return { ok: false, reason: 'already_registered' };
      const passkey: Passkey = { ...credential, id: deps.newId(), userId, name: passkeyName(name, authenticatorName(credential.aaguid) ?? 'Passkey'), createdAt: now(), lastUsedAt: null };
      await deps.passkeys.create(passkey);
      await record('auth.passkey.added', 'success', userId, facts, { passkey: passkey.id, synced: passkey.synced, aaguid: passkey.aaguid });
      return { ok: true, passkey: view(passkey) };
    },

    /**
     * Options for navigator.credentials.get() with a challenge stored under `key`: for `userId`
     * (second factor, its passkeys listed) or for anyone (usernameless: discoverable credentials).
     */
    async authenticationOptions(key: string, userId?: string) {
      const allow = userId ? await deps.passkeys.listFor(userId) : [];
      const challenge = await challengeFor(`auth:${key}`, userId);
      return deps.webauthn.authenticationOptions({ rp: deps.rp, challenge, allow });
    },

    /**
     * Verifies an assertion against the challenge under `key` (taken, whatever the outcome).
     * The challenge's user, when it names one, must own the passkey; so must the user handle.
     */
    async authenticate(key: string, response: unknown, facts?: AuditContext): Promise<PasskeyAssertion> {
      const stored = await deps.challenges.take(`auth:${key}`, now());
      if (!stored) return refuse('no_challenge', undefined, facts);
      const ids = deps.webauthn.assertionIds(response);
      if (!ids) return refuse('invalid_response', stored.userId, facts);
      const passkey = await deps.passkeys.findByCredentialId(ids.credentialId);
      if (!passkey) return refuse('unknown_credential', stored.userId, facts);
      if ((stored.userId && stored.userId !== passkey.userId) || (ids.userHandle !== undefined && ids.userHandle !== passkey.userId)) return refuse('wrong_user', stored.userId ?? passkey.userId, facts);
      const verified = await deps.webauthn.verifyAssertion({ rp: deps.rp, challenge: stored.challenge, response, passkey });
      if (!verified) return refuse('invalid_response', passkey.userId, facts);
      const accepted = acceptAssertion(passkey, verified, now());
      if (!accepted.ok) return refuse(accepted.reason, passkey.userId, facts);
      if (!(await deps.passkeys.recordUse(accepted.next, passkey.counter))) return refuse('replayed', passkey.userId, facts);
      return { ok: true, userId: passkey.userId, amr: passkeyAmr(passkey), passkeyId: passkey.id };
    },

    async list(userId: string): Promise<PasskeyView[]> {
      return (await deps.passkeys.listFor(userId)).map(view);
    },

    async rename(userId: string, id: string, name: string, facts?: AuditContext): Promise<boolean> {
      const renamed = await deps.passkeys.rename(userId, id, passkeyName(name, 'Passkey'));
      if (renamed) await record('auth.passkey.renamed', 'success', userId, facts, { passkey: id });
      return renamed;
    },

    /** @returns `last` when it is the account's last way to sign in (kept). */
    async remove(userId: string, id: string, facts?: AuditContext): Promise<'removed' | 'not_found' | 'last'> {
      const [passkeys, methods] = await Promise.all([deps.passkeys.listFor(userId), deps.signInMethods(userId)]);
      if (!passkeys.some((p) => p.id === id)) return 'not_found';
      if (!mayRemovePasskey({ ...methods, passkeys: passkeys.length })) return 'last';
      if (!(await deps.passkeys.delete(userId, id))) return 'not_found';
      await record('auth.passkey.removed', 'success', userId, facts, { passkey: id });
      return 'removed';
    },

    /** The user chose "not now" at the offer after a password sign-in. */
    async offerDeclined(userId: string, facts?: AuditContext): Promise<void> {
      await record('auth.passkey.offer_declined', 'success', userId, facts);
    },
  };
}

function view(p: Passkey): PasskeyView {
  return { id: p.id, name: p.name, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt, synced: p.synced, authenticator: authenticatorName(p.aaguid) };
}

export type Passkeys = ReturnType<typeof createPasskeys>;
