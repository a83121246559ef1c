/** openid-client v6 as the relying party, configured against a test provider over plain HTTP. */
import * as client from 'openid-client';

export { client };

export async function discover(issuer: string, clientId: string, secret?: string, metadata: Partial<client.ClientMetadata> = {}) {
  const auth = secret ? client.ClientSecretBasic(secret) : client.None();
  return client.discovery(new URL(issuer), clientId, { ...metadata, ...(secret ? { client_secret: secret } : {}) }, auth, {
    execute: [client.allowInsecureRequests],
  });
}

export async function pkcePair() {
  const verifier = client.randomPKCECodeVerifier();
  return { verifier, challenge: await client.calculatePKCECodeChallenge(verifier) };
}

export interface AuthorizationRequest {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

/** An authorization request as an RP builds it: PKCE S256, fresh state and nonce, plus `params`. */
export async function authorizationRequest(config: client.Configuration, params: Record<string, string>): Promise<AuthorizationRequest> {
  const { verifier, challenge } = await pkcePair();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, { code_challenge: challenge, code_challenge_method: 'S256', state, nonce, ...params });
  return { url, verifier, state, nonce };
}
