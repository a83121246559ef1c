/**
 * Bearer access tokens in the Authorization header (RFC 6750 §2.1). Verifying them is a port
 * (server/shared/access-token.ts) the wiring fills with the jose adapter.
 */
export { invalidToken, type TokenVerifier, type VerifiedToken } from '../../shared/access-token.js';

/** The `Authorization: Bearer` token, or undefined when there is none (RFC 6750 §2.1). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}
