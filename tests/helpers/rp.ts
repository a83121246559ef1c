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
