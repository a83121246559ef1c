import { describe, expect, it } from 'vitest';
import { authenticationContext } from '../../server/modules/auth/index.js';
import { decideFirstSignIn, mayUnlink, upstreamSatisfiesMfa, usernameCandidate, type UpstreamIdentity } from '../../server/modules/federation/index.js';

const upstream = (over: Partial<UpstreamIdentity> = {}): UpstreamIdentity => ({
  providerId: 'google', issuer: 'https://accounts.google.com', subject: '123', email: 'a@example.com', emailVerified: true, name: undefined, preferredUsername: undefined, amr: [], ...over,
});
const all = { autoRegister: true, linkByEmail: true, trustUpstreamMfa: false };
const account = { userId: 'u1', hasPassword: true, disabled: false };

describe('first sign-in decision', () => {
  it('links to the account with that email only when enabled, verified and provable', () => {
    expect(decideFirstSignIn(upstream(), account, all)).toEqual({ action: 'link', userId: 'u1' });
    expect(decideFirstSignIn(upstream(), account, { ...all, linkByEmail: false })).toEqual({ action: 'refuse', reason: 'account_exists' });
    expect(decideFirstSignIn(upstream({ emailVerified: false }), account, all)).toEqual({ action: 'refuse', reason: 'email_unverified' });
    expect(decideFirstSignIn(upstream(), { ...account, hasPassword: false }, all)).toEqual({ action: 'refuse', reason: 'cannot_prove' });
    expect(decideFirstSignIn(upstream(), { ...account, disabled: true }, all)).toEqual({ action: 'refuse', reason: 'disabled' });
  });

  it('never auto-registers over an existing account with that email', () => {
    expect(decideFirstSignIn(upstream({ emailVerified: false }), account, { ...all, linkByEmail: false }).action).toBe('refuse');
  });

  it('registers a stranger only when auto-registration is on', () => {
    expect(decideFirstSignIn(upstream(), undefined, all)).toEqual({ action: 'register' });
    expect(decideFirstSignIn(upstream(), undefined, { ...all, autoRegister: false })).toEqual({ action: 'refuse', reason: 'not_registered' });
  });
});

describe('last way to sign in', () => {
  it('allows unlinking only while a password or another identity remains', () => {
    expect(mayUnlink({ hasPassword: true, linkedIdentities: 1 })).toBe(true);
    expect(mayUnlink({ hasPassword: false, linkedIdentities: 2 })).toBe(true);
    expect(mayUnlink({ hasPassword: false, linkedIdentities: 1 })).toBe(false);
  });
});

describe('upstream MFA and amr', () => {
  it('counts the upstream mfa only when trusted', () => {
    expect(upstreamSatisfiesMfa(['pwd', 'mfa'], { trustUpstreamMfa: false })).toBe(false);
    expect(upstreamSatisfiesMfa(['pwd'], { trustUpstreamMfa: true })).toBe(false);
    expect(upstreamSatisfiesMfa(['pwd', 'otp', 'mfa'], { trustUpstreamMfa: true })).toBe(true);
  });

  it('says fed, at password level, unless a second factor followed or trusted upstream MFA', () => {
    expect(authenticationContext(['fed'])).toEqual({ amr: ['fed'], acr: 'urn:oidc-server:acr:pwd' });
    expect(authenticationContext(['fed', 'otp'])).toEqual({ amr: ['fed', 'otp', 'mfa'], acr: 'urn:oidc-server:acr:mfa' });
    expect(authenticationContext(['fed', 'mfa'])).toEqual({ amr: ['fed', 'mfa'], acr: 'urn:oidc-server:acr:mfa' });
    expect(authenticationContext(['pwd', 'mfa'])).toEqual({ amr: ['pwd'], acr: 'urn:oidc-server:acr:pwd' });
  });
});

describe('username of an auto-registered account', () => {
  it('comes from preferred_username or the email, reduced to allowed characters', () => {
    expect(usernameCandidate({ preferredUsername: 'jane.doe', email: 'x@y.z' })).toBe('jane.doe');
    expect(usernameCandidate({ preferredUsername: undefined, email: 'j+tag@example.com' })).toBe('jtag');
    expect(usernameCandidate({ preferredUsername: undefined, email: 'ab@example.com' })).toBe('user');
    expect(usernameCandidate({ preferredUsername: undefined, email: undefined })).toBe('user');
  });
});
