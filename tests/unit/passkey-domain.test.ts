/**
 * Passkey rules (server/modules/auth domain/passkey.ts) and what a passkey does to amr, acr and
 * the MFA policy (authentication-context.ts, mfa-policy.ts): RFC 8176 values, the phishing-resistant
 * acr `phr`, step-up to it, the counter rule and the last way to sign in.
 */
import { describe, expect, it } from 'vitest';
import {
  ACR_MFA,
  ACR_PASSWORD,
  ACR_PHISHING_RESISTANT,
  acceptAssertion,
  aaguidAllowed,
  authenticationContext,
  authenticatorName,
  decideMfa,
  mayRemovePasskey,
  passkeyAmr,
  requestedLevel,
  requestsMfa,
  requestsPasskey,
  sessionNeedsStepUp,
  type Passkey,
} from '../../server/modules/auth/index.js';

const key: Passkey = { id: 'p', userId: 'u', credentialId: 'c', publicKey: 'k', counter: 5, transports: [], aaguid: '00000000-0000-0000-0000-000000000000', name: 'n', synced: false, backedUp: false, createdAt: 1, lastUsedAt: null };

describe('authentication context with passkeys', () => {
  it('a passkey with user verification is multi-factor and phishing-resistant on its own', () => {
    expect(authenticationContext(['hwk', 'user'])).toEqual({ amr: ['hwk', 'user', 'mfa'], acr: ACR_PHISHING_RESISTANT });
    expect(authenticationContext(['swk', 'user'])).toEqual({ amr: ['swk', 'user', 'mfa'], acr: ACR_PHISHING_RESISTANT });
    expect(authenticationContext(['pwd', 'hwk', 'user'])).toEqual({ amr: ['pwd', 'hwk', 'user', 'mfa'], acr: ACR_PHISHING_RESISTANT });
    // Without user verification a key alone is one factor (never produced: UV is required).
    expect(authenticationContext(['hwk']).amr).toEqual(['hwk']);
    expect(authenticationContext(['pwd', 'otp'])).toEqual({ amr: ['pwd', 'otp', 'mfa'], acr: ACR_MFA });
    expect(authenticationContext(['pwd'])).toEqual({ amr: ['pwd'], acr: ACR_PASSWORD });
  });

  it('acr_values: the strongest known value listed is the level needed', () => {
    expect(requestedLevel(undefined)).toBeUndefined();
    expect(requestedLevel('urn:other')).toBeUndefined();
    expect(requestedLevel(ACR_PHISHING_RESISTANT)).toBe(2);
    expect(requestedLevel(`${ACR_PHISHING_RESISTANT} ${ACR_MFA}`)).toBe(2);
    expect(requestedLevel(`${ACR_PASSWORD} ${ACR_MFA}`)).toBe(1);
    expect(requestsMfa(ACR_PHISHING_RESISTANT)).toBe(true);
    expect(requestsPasskey(ACR_PHISHING_RESISTANT)).toBe(true);
    expect(requestsPasskey(`${ACR_MFA} ${ACR_PHISHING_RESISTANT}`)).toBe(true);
    expect(requestsPasskey(ACR_PASSWORD)).toBe(false);
  });

  it('step-up to a passkey: a password or MFA session is asked again, a passkey session is not', () => {
    const base = { enabled: true, clientPolicy: 'optional' as const, mfaAcr: ACR_MFA };
    expect(sessionNeedsStepUp({ ...base, acrValues: ACR_PHISHING_RESISTANT, sessionAcr: ACR_PASSWORD })).toBe(true);
    expect(sessionNeedsStepUp({ ...base, acrValues: ACR_PHISHING_RESISTANT, sessionAcr: ACR_MFA })).toBe(true);
    expect(sessionNeedsStepUp({ ...base, acrValues: ACR_PHISHING_RESISTANT, sessionAcr: ACR_PHISHING_RESISTANT })).toBe(false);
    expect(sessionNeedsStepUp({ ...base, acrValues: ACR_MFA, sessionAcr: ACR_PHISHING_RESISTANT })).toBe(false);
    expect(sessionNeedsStepUp({ ...base, clientPolicy: 'required', acrValues: undefined, sessionAcr: ACR_PHISHING_RESISTANT })).toBe(false);
    expect(sessionNeedsStepUp({ ...base, clientPolicy: 'required', acrValues: undefined, sessionAcr: ACR_PASSWORD })).toBe(true);
    expect(sessionNeedsStepUp({ ...base, enabled: false, acrValues: ACR_PHISHING_RESISTANT, sessionAcr: ACR_PASSWORD })).toBe(false);
  });

  it('the MFA policy offers only a passkey when phr is asked, and refuses an account without one', () => {
    const input = { enabled: true, clientPolicy: 'optional' as const, trustedDevice: true };
    expect(decideMfa({ ...input, acrValues: ACR_PHISHING_RESISTANT, enrolled: ['totp', 'passkey'], usable: ['passkey', 'totp', 'recovery_codes'] })).toEqual({ action: 'challenge', reason: 'step_up', factors: ['passkey'] });
    expect(decideMfa({ ...input, acrValues: ACR_PHISHING_RESISTANT, enrolled: ['totp'], usable: ['totp'] })).toEqual({ action: 'refuse', reason: 'passkey_required' });
    // A passkey is a second factor like TOTP: enrolled, it is asked for after a password.
    expect(decideMfa({ ...input, trustedDevice: false, acrValues: undefined, enrolled: ['passkey'], usable: ['passkey'] })).toEqual({ action: 'challenge', reason: 'enrolled', factors: ['passkey'] });
  });
});

describe('passkey rules', () => {
  it('refuses a counter that does not grow, unless the authenticator never counts (0 and 0)', () => {
    expect(acceptAssertion(key, { credentialId: 'c', newCounter: 6, userVerified: true, backedUp: false }, 9)).toEqual({ ok: true, next: { ...key, counter: 6, lastUsedAt: 9 } });
    expect(acceptAssertion(key, { credentialId: 'c', newCounter: 5, userVerified: true, backedUp: false }, 9)).toEqual({ ok: false, reason: 'counter_regressed' });
    expect(acceptAssertion(key, { credentialId: 'c', newCounter: 0, userVerified: true, backedUp: false }, 9)).toEqual({ ok: false, reason: 'counter_regressed' });
    expect(acceptAssertion({ ...key, counter: 0 }, { credentialId: 'c', newCounter: 0, userVerified: true, backedUp: true }, 9)).toMatchObject({ ok: true, next: { counter: 0, backedUp: true } });
    expect(acceptAssertion(key, { credentialId: 'c', newCounter: 6, userVerified: false, backedUp: false }, 9)).toEqual({ ok: false, reason: 'user_not_verified' });
  });

  it('names the methods, the last way to sign in, the allow-list and known authenticators', () => {
    expect(passkeyAmr({ synced: false })).toEqual(['hwk', 'user']);
    expect(passkeyAmr({ synced: true })).toEqual(['swk', 'user']);
    expect(mayRemovePasskey({ hasPassword: false, linkedIdentities: 0, passkeys: 1 })).toBe(false);
    expect(mayRemovePasskey({ hasPassword: false, linkedIdentities: 0, passkeys: 2 })).toBe(true);
    expect(mayRemovePasskey({ hasPassword: true, linkedIdentities: 0, passkeys: 1 })).toBe(true);
    expect(mayRemovePasskey({ hasPassword: false, linkedIdentities: 1, passkeys: 1 })).toBe(true);
    expect(aaguidAllowed('CB69481E-8FF7-4039-93EC-0A2729A154A8', ['cb69481e-8ff7-4039-93ec-0a2729a154a8'])).toBe(true);
    expect(aaguidAllowed('00000000-0000-0000-0000-000000000000', ['cb69481e-8ff7-4039-93ec-0a2729a154a8'])).toBe(false);
    expect(aaguidAllowed('anything', [])).toBe(true);
    expect(authenticatorName('fbfc3007-154e-4ecc-8c0b-6e020557d7bd')).toBe('iCloud Keychain');
    expect(authenticatorName('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });
});
