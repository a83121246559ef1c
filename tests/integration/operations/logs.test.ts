/**
 * What the logs must never hold: after a full sign-in, code exchange, refresh, userinfo, a failed
 * login and client credentials, no captured line contains a password, a client secret, a token
 * or an authorization code. Every request line carries its request id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { SERVICE_CLIENT, startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';

let op: TestProvider;
beforeAll(async () => {
  // Window 0: the reuse below must be refused (within REFRESH_TOKEN_REUSE_WINDOW it would get the successor).
  op = await startTestProvider({ env: { REFRESH_TOKEN_REUSE_WINDOW: '0' } });
});
afterAll(async () => {
  await op?.stop();
});

const WRONG_PASSWORD = 'not-alices-password-9f8e7d';

describe('logs', () => {
  it('hold no credential, token or code after a full set of flows', async () => {
    const secrets: Record<string, string> = {
      password: TEST_USER.password,
      wrongPassword: WRONG_PASSWORD,
      webSecret: WEB_CLIENT.client_secret,
      serviceSecret: SERVICE_CLIENT.client_secret,
    };

    // A failed login first, then the real one.
    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const { url, verifier, state, nonce } = await authorizationRequest(config, {
      redirect_uri: WEB_CLIENT.redirect_uri,
      scope: 'openid profile email offline_access',
      prompt: 'consent',
    });
    const agent = new UserAgent(op.issuer);
    const first = await agent.follow(url);
    const loginHtml = await first.response.text();
    const failed = await agent.submit(formAction(loginHtml, '/interaction/'), { csrf: csrfOf(loginHtml), login: TEST_USER.username, password: WRONG_PASSWORD });
    expect(failed.response.status).toBe(401);
    const { callback } = await authorize(agent, `/interaction/${formAction(loginHtml, '/interaction/').split('/')[2]}`, {
      login: TEST_USER.username,
      password: TEST_USER.password,
    });
    secrets.code = callback.searchParams.get('code')!;
    secrets.verifier = verifier;
    expect(secrets.code).toBeTruthy();

    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    secrets.accessToken = tokens.access_token;
    secrets.idToken = tokens.id_token!;
    secrets.refreshToken = tokens.refresh_token!;
    await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    secrets.refreshedAccessToken = refreshed.access_token;
    secrets.rotatedRefreshToken = refreshed.refresh_token!;
    // Reusing the old refresh token is refused and logged as a protocol error.
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toThrow();

    const service = await discover(op.issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
    secrets.serviceToken = (await client.clientCredentialsGrant(service)).access_token;
    // A wrong secret, sent in the body so it passes through the rate limiter's peek.
    const refused = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: SERVICE_CLIENT.client_id, client_secret: 'wrong-secret-5a4b3c2d1e' }),
    });
    expect(refused.status).toBe(401);
    secrets.wrongSecret = 'wrong-secret-5a4b3c2d1e';

    for (const value of Object.values(secrets)) expect(value.length).toBeGreaterThanOrEqual(16);
    expect(op.logs.length).toBeGreaterThan(10);
    const leaks = Object.entries(secrets).flatMap(([name, value]) =>
      op.logs.filter((line) => line.includes(value)).map((line) => `${name}: ${line}`),
    );
    expect(leaks).toEqual([]);

    // The flows were logged, just without their secrets.
    const parsed = op.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.some((l) => l.msg === 'request' && l.path === '/token' && l.status === 200)).toBe(true);
    expect(parsed.some((l) => l.msg === 'request' && l.path === '/token' && l.status === 401)).toBe(true);
    expect(parsed.some((l) => l.event === 'grant.error')).toBe(true);
  });

  it('give every request line a request id that matches the response header', async () => {
    const response = await fetch(`${op.issuer}/.well-known/openid-configuration`);
    const id = response.headers.get('x-request-id');
    const requests = op.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((l) => typeof l.requestId !== 'string' || l.requestId.length < 8)).toEqual([]);
    expect(requests.some((l) => l.requestId === id && l.path === '/.well-known/openid-configuration')).toBe(true);
    // Paths are logged without their query string, which can carry codes and tokens.
    expect(requests.filter((l) => String(l.path).includes('?'))).toEqual([]);
  });
});
