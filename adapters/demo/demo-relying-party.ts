/**
 * The built-in demo sign-in's relying party: openid-client against this provider, as any app
 * would use it (discovery, PKCE S256, state, nonce, ID token validation, userinfo). Discovery
 * happens at the first use, when the server is listening.
 */
import * as client from 'openid-client';
import { decodeJwt } from 'jose';
import type { DemoOutcome, DemoRelyingParty, PendingDemo } from '../../server/shared/demo-relying-party.js';

const SCOPE = 'openid profile email offline_access';

export function createDemoRelyingParty(options: { issuer: string; clientId: string; redirectUri: string }): DemoRelyingParty {
  let configuration: Promise<client.Configuration> | undefined;
  const configured = () =>
    (configuration ??= client
      .discovery(new URL(options.issuer), options.clientId, undefined, client.None(), new URL(options.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      }));

  return {
    clientId: options.clientId,
    async start() {
      const config = await configured();
      const pending: PendingDemo = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: options.redirectUri,
        scope: SCOPE,
        // offline_access needs consent (OIDC Core §11): the refresh token is part of what is shown.
        prompt: 'consent',
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    async finish(callback, pending): Promise<DemoOutcome> {
      try {
        const config = await configured();
        const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
        const idTokenClaims = tokens.claims();
        const userinfo = idTokenClaims ? await client.fetchUserInfo(config, tokens.access_token, idTokenClaims.sub).catch(() => undefined) : undefined;
        return { ok: true, tokens: { ...tokens }, idTokenClaims: idTokenClaims ? { ...idTokenClaims } : undefined, accessTokenClaims: jwtClaims(tokens.access_token), userinfo: userinfo ? { ...userinfo } : undefined };
      } catch (error) {
        if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) return { ok: false, error: error.error, description: error.error_description };
        return { ok: false, error: 'demo_failed', description: error instanceof Error ? error.message : undefined };
      }
    },
  };
}

/** An access token's claims when it is a JWT (RFC 9068); undefined for an opaque one. */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    return { ...decodeJwt(token) };
  } catch {
    return undefined;
  }
}
