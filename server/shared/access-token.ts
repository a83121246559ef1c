/**
 * A verified bearer access token of this provider (RFC 9068), as the admin API sees it, and the
 * port that verifies one. The JOSE work is an adapter (adapters/crypto/access-token-verifier.ts).
 */
import { AppError } from './errors.js';

/** The claims of a verified JWT. */
export interface JWTPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  jti?: string;
  nbf?: number;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

export interface VerifiedToken {
  /** The user's id, or the client's id for client credentials tokens (RFC 9068 §2.2). */
  sub: string;
  clientId: string;
  scopes: Set<string>;
  payload: JWTPayload;
}

/** Verifies a bearer token; @throws AppError invalid_token naming the failed check. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

export function invalidToken(description: string): AppError {
  return new AppError('invalid_token', description);
}
