/**
 * Signs logout tokens (OIDC Back-Channel Logout 1.0 §2.4) with jose, using the provider's current
 * private signing keys (the first published key of the client's algorithm, as oidc-provider picks
 * for ID tokens): header typ logout+jwt (RFC 8417-style explicit typing, §2.4), claims iss, iat,
 * exp and the notice's aud, sub, sid, jti, events.
 */
import { importJWK, SignJWT, type JWK } from 'jose';
import type { LogoutTokenSigner } from '../../server/modules/logout/index.js';

// A logout token is meant to be used at once; two minutes absorb clock drift and a slow receiver.
const LIFETIME_SECONDS = 120;

const KEY_TYPE: Record<string, string> = { RS256: 'RSA', PS256: 'RSA', ES256: 'EC', EdDSA: 'OKP' };

export function createLogoutTokenSigner(options: { issuer: string; keys: () => Promise<ReadonlyArray<Record<string, unknown>>>; now?: () => number }): LogoutTokenSigner {
  const now = options.now ?? Date.now;
  return {
    async sign(claims, alg) {
      const keys = await options.keys();
      const jwk = keys.find((key) => key.kty === KEY_TYPE[alg] && (key.alg === undefined || key.alg === alg));
      if (!jwk) throw new Error(`no signing key for ${alg}`);
      const key = await importJWK(jwk as JWK, alg);
      const iat = Math.floor(now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg, typ: 'logout+jwt', ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) })
        .setIssuer(options.issuer)
        .setIssuedAt(iat)
        .setExpirationTime(iat + LIFETIME_SECONDS)
        .sign(key);
    },
  };
}
