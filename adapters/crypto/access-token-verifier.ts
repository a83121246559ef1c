/**
 * Verifies this provider's RFC 9068 access tokens locally with jose against its current public
 * signing keys, checking `typ` at+jwt, issuer, audience, expiry and the signature algorithm. Keys
 * rotate: a token signed by a key this process has not loaded yet (another replica rotated)
 * triggers one key refresh, at most every few seconds, before it is refused.
 */
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { invalidToken, type TokenVerifier, type VerifiedToken } from '../../server/shared/access-token.js';

export interface BearerTokenOptions {
  issuer: string;
  audience: string;
  /** The current public signing keys (rebuilt into a key set when the object changes). */
  keys(): JSONWebKeySet;
  /** Reloads keys from the store; @returns whether they changed. */
  refresh(): Promise<boolean>;
  now?: () => number;
}

// RFC 9068 §2.1: RS256 is what every resource server must accept; the provider signs API tokens with it.
const ALGORITHMS = ['RS256'];
// Clocks of replicas drift a little; a few seconds avoids refusing a token issued "in the future".
const CLOCK_TOLERANCE_S = 5;
// An unknown kid costs a database read to refresh keys; a burst of forged tokens must not make one each.
const REFRESH_COOLDOWN_MS = 10_000;

/** Strips private members, so only public keys are ever handed to the verifier. */
export function publicJwks(keys: ReadonlyArray<Record<string, unknown>>): JSONWebKeySet {
  const PRIVATE = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']);
  return { keys: keys.map((k) => Object.fromEntries(Object.entries(k).filter(([name]) => !PRIVATE.has(name)))) as JSONWebKeySet['keys'] };
}

export function createTokenVerifier(options: BearerTokenOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  let source: JSONWebKeySet | undefined;
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined;
  let lastRefresh = 0;
  const currentKeySet = () => {
    const keys = options.keys();
    if (keys !== source || !keySet) {
      source = keys;
      keySet = createLocalJWKSet(keys);
    }
    return keySet;
  };

  const verifyOnce = (token: string) =>
    jwtVerify(token, currentKeySet(), {
      issuer: options.issuer,
      audience: options.audience,
      typ: 'at+jwt',
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'jti'],
      currentDate: new Date(now()),
    });

  return {
    /** @throws AppError invalid_token, with a description that names the failed check. */
    async verify(token: string): Promise<VerifiedToken> {
      let result;
      try {
        try {
          result = await verifyOnce(token);
        } catch (error) {
          if (!(error instanceof joseErrors.JWKSNoMatchingKey) || now() - lastRefresh < REFRESH_COOLDOWN_MS) throw error;
          lastRefresh = now();
          if (!(await options.refresh())) throw error;
          result = await verifyOnce(token);
        }
      } catch (error) {
        throw invalidToken(describe(error));
      }
      const { payload } = result;
      if (typeof payload.client_id !== 'string' || typeof payload.sub !== 'string') throw invalidToken('the token has no client_id or sub');
      const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []);
      return { sub: payload.sub, clientId: payload.client_id, scopes, payload };
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token was not signed by a key of this provider';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  return 'the token is not a valid access token for this API';
}
