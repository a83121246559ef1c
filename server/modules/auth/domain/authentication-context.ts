/**
 * What a finished sign-in says about itself: `amr` (RFC 8176 method references) and `acr` (the
 * assurance level we claim). A login with two different kinds of factor adds `mfa`; the acr is
 * ACR_MFA exactly then. These are the values advertised as `acr_values_supported`.
 */

/** RFC 8176 §2 values this provider emits. */
export type AmrValue = 'pwd' | 'otp' | 'sms' | 'mfa';

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
  const multi = distinct.includes('pwd') && distinct.length > 1;
  return { amr: multi ? [...distinct, 'mfa'] : distinct, acr: multi ? ACR_MFA : ACR_PASSWORD };
}

/** Whether an `acr_values` request (space-separated, in preference order) asks for MFA. */
export function requestsMfa(acrValues: string | undefined): boolean {
  return (acrValues ?? '').split(' ').includes(ACR_MFA);
}
