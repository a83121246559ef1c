import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, TEST_USER, WEB_CLIENT, SPA_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

const alice = { login: TEST_USER.username, password: TEST_USER.password };

describe('authorization code flow with PKCE (openid-client as RP)', () => {
  it('signs a confidential client in and returns ID token, access token and refresh token', async () => {
    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const { url, verifier, state, nonce } = await authorizationRequest(config, {
      redirect_uri: WEB_CLIENT.redirect_uri,
      scope: 'openid profile email offline_access',
      prompt: 'consent',
    });
    const agent = new UserAgent(op.issuer);
    const { callback } = await authorize(agent, url, alice);
    expect(callback.searchParams.get('state')).toBe(state);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(op.issuer);
    expect(claims.aud).toBe(WEB_CLIENT.client_id);
    expect(claims.amr).toEqual(['pwd']);
    expect(tokens.refresh_token).toBeTruthy();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: claims.sub, email: TEST_USER.email, email_verified: true, name: 'Alice Liddell' });
  });

  it('serves a public SPA client with PKCE and no secret', async () => {
    const config = await discover(op.issuer, SPA_CLIENT.client_id);
    const { url, verifier, state, nonce } = await authorizationRequest(config, { redirect_uri: SPA_CLIENT.redirect_uri, scope: 'openid email' });
    const { callback } = await authorize(new UserAgent(op.issuer), url, alice);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()?.sub).toBeTruthy();
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
  });
});
