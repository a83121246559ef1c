/**
 * Verifies JWTs presented for token exchange (RFC 8693) with jose: our JWT access tokens (typ
 * at+jwt) and ID tokens against the keys we publish, and JWTs of configured trusted issuers
 * (TOKEN_EXCHANGE_TRUSTED_ISSUERS) against the JWKS named by their discovery document, fetched
 * through the webhook address policy and kept for KEYS_CACHE_MS. Anything that does not verify
 * is undefined, never an exception: the grant answers invalid_request for it.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { ExchangeParty, ExchangeTokenVerifier } from '../../server/modules/clients/index.js';
import { TOKEN_TYPES } from '../../server/modules/clients/index.js';

// Issuers rotate keys with overlap; ten minutes keeps the fetches rare and picks up a rotation soon.
const KEYS_CACHE_MS = 10 * 60_000;
const CLOCK_TOLERANCE_S = 5;
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export interface ExchangeVerifierOptions {
  issuer: string;
  /** Our current public keys. */
  keys(): JSONWebKeySet;
  trustedIssuers: readonly string[];
  /** A guarded GET of a JSON document (adapters/webhooks/guarded-fetch.ts). */
  getJson(url: string): Promise<unknown>;
  now?: () => number;
}

const words = (value: unknown) => (typeof value === 'string' ? value.split(' ').filter(Boolean) : undefined);
const object = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);
const firstAudience = (aud: JWTPayload['aud']) => (Array.isArray(aud) ? aud[0] : aud);

function party(payload: JWTPayload, ours: boolean, issuer: string, scopes: readonly string[] | undefined, clientId: string | undefined): ExchangeParty | undefined {
  if (typeof payload.sub !== 'string' || !payload.sub) return undefined;
  return { issuer, ours, sub: payload.sub, clientId, scopes, mayAct: object(payload.may_act), act: object(payload.act) };
}

export function createExchangeTokenVerifier(options: ExchangeVerifierOptions): ExchangeTokenVerifier {
  const foreign = new Map<string, { keys: ReturnType<typeof createLocalJWKSet>; until: number }>();
  const now = options.now ?? Date.now;

  const foreignKeys = async (issuer: string) => {
    const cached = foreign.get(issuer);
    if (cached && cached.until > now()) return cached.keys;
    const discovery = object(await options.getJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`));
    if (typeof discovery?.jwks_uri !== 'string') throw new Error(`${issuer} publishes no jwks_uri`);
    const keys = createLocalJWKSet((await options.getJson(discovery.jwks_uri)) as JSONWebKeySet);
    foreign.set(issuer, { keys, until: now() + KEYS_CACHE_MS });
    return keys;
  };

  return {
    async verify(token, tokenType) {
      let unverified: JWTPayload;
      try {
        unverified = decodeJwt(token);
      } catch {
        return undefined;
      }
      const common = { algorithms: ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_S, currentDate: new Date(now()), requiredClaims: ['exp', 'sub'] };
      try {
        if (unverified.iss === options.issuer) {
          const keys = createLocalJWKSet(options.keys());
          if (tokenType === TOKEN_TYPES.accessToken) {
            const { payload } = await jwtVerify(token, keys, { ...common, issuer: options.issuer, typ: 'at+jwt' });
            return party(payload, true, options.issuer, words(payload.scope) ?? [], typeof payload.client_id === 'string' ? payload.client_id : undefined);
          }
          if (tokenType === TOKEN_TYPES.idToken) {
            const { payload, protectedHeader } = await jwtVerify(token, keys, { ...common, issuer: options.issuer });
            // An access token or logout token is not an ID token.
            if (protectedHeader.typ === 'at+jwt' || protectedHeader.typ === 'logout+jwt') return undefined;
            const azp = typeof payload.azp === 'string' ? payload.azp : firstAudience(payload.aud);
            return party(payload, true, options.issuer, undefined, azp);
          }
          return undefined;
        }
        const issuer = typeof unverified.iss === 'string' ? unverified.iss : '';
        if (!options.trustedIssuers.includes(issuer) || tokenType === TOKEN_TYPES.idToken) return undefined;
        const { payload } = await jwtVerify(token, await foreignKeys(issuer), { ...common, issuer });
        const clientId = typeof payload.client_id === 'string' ? payload.client_id : typeof payload.azp === 'string' ? payload.azp : undefined;
        return party(payload, false, issuer, words(payload.scope), clientId);
      } catch {
        return undefined;
      }
    },
  };
}
