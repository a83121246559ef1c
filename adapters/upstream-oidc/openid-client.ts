/**
 * Upstream OpenID Providers through openid-client v6: discovery (lazily, cached, retried after a
 * failure), authorization requests with PKCE S256, state and nonce, and the code exchange whose
 * ID token openid-client validates (issuer, audience, signature, expiry, nonce; state too).
 * Google and any other issuer take exactly this path; only the issuer URL differs.
 */
import * as client from 'openid-client';
import type { UpstreamClient, UpstreamIdentity } from '../../server/modules/federation/index.js';
import { UpstreamError } from '../../server/modules/federation/index.js';

export interface UpstreamSettings {
  id: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export interface OpenIdUpstreamOptions {
  providers: UpstreamSettings[];
  /** Our redirect URI, registered at every upstream (ISSUER/federation/callback). */
  redirectUri: string;
  /** http issuers are allowed (config refuses this in production). */
  allowHttpIssuers: boolean;
  timeoutSeconds?: number;
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);

export function createOpenIdUpstream(options: OpenIdUpstreamOptions): UpstreamClient {
  const configs = new Map<string, Promise<client.Configuration>>();

  function settingsOf(providerId: string): UpstreamSettings {
    const settings = options.providers.find((p) => p.id === providerId);
    if (!settings) throw new UpstreamError('invalid', `unknown upstream ${providerId}`);
    return settings;
  }

  function configOf(providerId: string): Promise<client.Configuration> {
    const cached = configs.get(providerId);
    if (cached) return cached;
    const settings = settingsOf(providerId);
    const insecure = new URL(settings.issuer).protocol === 'http:';
    if (insecure && !options.allowHttpIssuers) return Promise.reject(new UpstreamError('unavailable', `http issuer refused for ${providerId}`));
    const pending = client
      .discovery(new URL(settings.issuer), settings.clientId, { client_secret: settings.clientSecret, id_token_signed_response_alg: 'RS256' }, client.ClientSecretPost(settings.clientSecret), {
        timeout: options.timeoutSeconds ?? 10,
        ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        // Not cached: the next sign-in tries discovery again.
        configs.delete(providerId);
        throw new UpstreamError('unavailable', `discovery of ${settings.issuer} failed: ${error instanceof Error ? error.message : 'error'}`);
      });
    configs.set(providerId, pending);
    return pending;
  }

  return {
    async begin(providerId) {
      const config = await configOf(providerId);
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        response_type: 'code',
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      return { url, state, nonce, codeVerifier };
    },

    async complete(providerId, callback, checks) {
      const config = await configOf(providerId);
      // The URL the upstream redirected to, whatever internal hop brought the query here.
      const current = new URL(options.redirectUri);
      current.search = callback.search;
      let claims: client.IDToken | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(
          config,
          current,
          { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true },
          { redirect_uri: options.redirectUri },
        );
        claims = tokens.claims();
      } catch (error) {
        if (error instanceof client.AuthorizationResponseError) {
          throw new UpstreamError(error.error === 'access_denied' ? 'denied' : 'invalid', `upstream answered ${error.error}`);
        }
        if (error instanceof client.ResponseBodyError || error instanceof client.ClientError || error instanceof client.WWWAuthenticateChallengeError) {
          throw new UpstreamError('invalid', `upstream response rejected: ${error.message}`);
        }
        throw new UpstreamError('unavailable', `upstream unreachable: ${error instanceof Error ? error.message : 'error'}`);
      }
      if (!claims) throw new UpstreamError('invalid', 'no ID token');
      const identity: UpstreamIdentity = {
        providerId,
        issuer: claims.iss,
        subject: claims.sub,
        email: str(claims.email)?.toLowerCase(),
        emailVerified: claims.email_verified === true,
        name: str(claims.name),
        preferredUsername: str(claims.preferred_username),
        amr: Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [],
      };
      return identity;
    },
  };
}
