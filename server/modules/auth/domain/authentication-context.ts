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
export type AmrValue = 'pwd' | 'otp' | 'sms' | 'mfa' | 'fed';

/** Password only (or a trusted device standing in for the second factor). */
export const ACR_PASSWORD = 'urn:oidc-server:acr:pwd';
/** Password plus a second factor (TOTP, SMS code or recovery code) in this sign-in. */
export const ACR_MFA = 'urn:oidc-server:acr:mfa';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA] as const;

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
  const multi = (first && distinct.length > 1) || (distinct.includes('fed') && methods.includes('mfa'));
  return { amr: multi ? [...distinct, 'mfa'] : distinct, acr: multi ? ACR_MFA : ACR_PASSWORD };
}

/** Whether an `acr_values` request (space-separated, in preference order) asks for MFA. */
export function requestsMfa(acrValues: string | undefined): boolean {
  return (acrValues ?? '').split(' ').includes(ACR_MFA);
}
