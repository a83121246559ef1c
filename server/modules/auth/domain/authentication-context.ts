/**
 * What a finished sign-in says about itself: `amr` (RFC 8176 method references) and `acr` (the
 * assurance level we claim). A login with two different kinds of factor adds `mfa`; the acr is
 * ACR_MFA exactly then. These are the values advertised as `acr_values_supported`.
 */

/**
 * RFC 8176 §2 values this provider emits, plus `fed`: signed in through an upstream OpenID
 * Provider. RFC 8176 has no value for federation; `fed` is what oidc-provider's examples and
 * logto use, and RFC 8176 §6.1 allows values outside its registry.
 */
export type AmrValue = 'pwd' | 'otp' | 'sms' | 'mfa' | 'fed' | 'hwk' | 'swk' | 'user' | 'pin';

/** The RFC 8176 methods of a passkey: `hwk` (device-bound key) or `swk` (synced, a key held in software). */
export const PASSKEY_AMR: readonly AmrValue[] = ['hwk', 'swk'];

/** Password only (or a trusted device standing in for the second factor). */
export const ACR_PASSWORD = 'urn:oidc-server:acr:pwd';
/** Password plus a second factor (TOTP, SMS code or recovery code) in this sign-in. */
export const ACR_MFA = 'urn:oidc-server:acr:mfa';
/**
 * A passkey took part (as first or second factor): origin-bound, so phishing-resistant. `phr` is
 * the value of OpenID Enhanced Authentication Profile ACR Values 1.0 §2.
 */
export const ACR_PHISHING_RESISTANT = 'phr';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA, ACR_PHISHING_RESISTANT] as const;

/** Each acr's strength: a stronger one satisfies a request for a weaker one. */
const LEVEL: Record<string, number> = { [ACR_PASSWORD]: 0, [ACR_MFA]: 1, [ACR_PHISHING_RESISTANT]: 2 };

/**
 * The level an `acr_values` request needs: the strongest of the values we know that it lists
 * (as ACR_MFA anywhere in the list has always meant "ask for a second factor"); undefined when it
 * names none of ours.
 */
export function requestedLevel(acrValues: string | undefined): number | undefined {
  const levels = (acrValues ?? '').split(' ').map((v) => LEVEL[v]).filter((l): l is number => l !== undefined);
  return levels.length ? Math.max(...levels) : undefined;
}

/** The level of an acr a session holds (unknown or none: 0). */
export const acrLevel = (acr: string | undefined): number => LEVEL[acr ?? ''] ?? 0;

export interface AuthenticationContext {
  amr: AmrValue[];
  acr: string;
}

/**
 * @param methods the methods used in this sign-in, in order (duplicates are ignored).
 * @see https://www.rfc-editor.org/rfc/rfc8176#section-2 ("mfa": multiple factors)
 */
export function authenticationContext(methods: readonly AmrValue[]): AuthenticationContext {
  const distinct = [...new Set(methods.filter((m) => m !== 'mfa'))];
  // The first factor is a password or an upstream sign-in. An explicit `mfa` after `fed` is the
  // upstream's own MFA, passed in only when FEDERATION_TRUST_UPSTREAM_MFA trusts it.
  const first = distinct.includes('pwd') || distinct.includes('fed');
  const passkey = distinct.some((m) => PASSKEY_AMR.includes(m));
  // A passkey with user verification is two factors on its own: the key (have) and the PIN or
  // biometric that unlocked it (know/are), RFC 8176 `user` standing for the latter.
  const multi = (first && distinct.length > 1) || (distinct.includes('fed') && methods.includes('mfa')) || (passkey && distinct.includes('user'));
  const acr = passkey ? ACR_PHISHING_RESISTANT : multi ? ACR_MFA : ACR_PASSWORD;
  return { amr: multi ? [...distinct, 'mfa'] : distinct, acr };
}

/** Whether an `acr_values` request (space-separated, in preference order) asks for MFA. */
export function requestsMfa(acrValues: string | undefined): boolean {
  return (requestedLevel(acrValues) ?? 0) >= LEVEL[ACR_MFA]!;
}

/** Whether an `acr_values` request asks for a passkey (step-up to a passkey): it lists `phr`. */
export function requestsPasskey(acrValues: string | undefined): boolean {
  return requestedLevel(acrValues) === LEVEL[ACR_PHISHING_RESISTANT];
}
