/**
 * The UserInfo endpoint releases claims by granted scope only; the ID token of the code flow
 * carries scope claims only when asked for with the `claims` parameter (conformIdTokenClaims);
 * RP-initiated logout (OpenID
 * Connect RP-Initiated Logout 1.0) ends the provider session after the user confirms, then
 * returns to the client's registered post_logout_redirect_uri.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { startTestProvider, TEST_USER, type TestProvider } from '../../helpers/provider.js';
import { client } from '../../helpers/rp.js';
import { authorizeOnly, introspect, signIn, webClient } from './support.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

const POST_LOGOUT = 'http://127.0.0.1:9999/logged-out';

describe('userinfo', () => {
  it('with openid email releases email claims and no profile claims', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid email' });
    const sub = tokens.claims()!.sub;
    const info = await client.fetchUserInfo(config, tokens.access_token, sub);
    expect(info).toEqual({ sub, email: TEST_USER.email, email_verified: true });
    expect(info).not.toHaveProperty('name');
  });

  it('with openid profile releases profile claims and no email', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid profile' });
    const sub = tokens.claims()!.sub;
    const info = await client.fetchUserInfo(config, tokens.access_token, sub);
    expect(info).toMatchObject({ sub, name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell' });
    expect(info).not.toHaveProperty('email');
  });

  it('refuses a missing or bogus bearer token with 401 and a WWW-Authenticate challenge', async () => {
    const config = await webClient(op);
    const endpoint = config.serverMetadata().userinfo_endpoint!;
    const none = await fetch(endpoint);
    expect(none.status).toBe(401);
    // RFC 6750 §3.1: a request without credentials gets a challenge but no error code.
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
    expect(none.headers.get('www-authenticate')).not.toMatch(/error=/);
    const bogus = await fetch(endpoint, { headers: { authorization: 'Bearer not-a-token' } });
    expect(bogus.status).toBe(401);
    expect(bogus.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });
});

describe('ID token claims', () => {
  it('carries no scope claims in the code flow, only what the claims parameter asks for', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    const plain = await signIn(op, config, { scope: 'openid email profile', agent });
    const claims = plain.tokens.claims()!;
    expect(claims).toMatchObject({ iss: op.issuer, aud: 'web-app', amr: ['pwd'] });
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('name');

    const asked = await signIn(op, config, { scope: 'openid email profile', agent, extra: { claims: JSON.stringify({ id_token: { email: null } }) } });
    expect(asked.tokens.claims()).toMatchObject({ email: TEST_USER.email });
    expect(asked.tokens.claims()).not.toHaveProperty('name');
  });
});

describe('RP-initiated logout', () => {
  it('confirms, ends the session, returns to post_logout_redirect_uri; prompt=none then needs a login', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    const { tokens } = await signIn(op, config, { scope: 'openid email', agent });
    // The session is live: prompt=none signs in silently.
    const silent = await authorizeOnly(op, config, { agent, prompt: 'none' });
    expect(silent.callback.searchParams.get('code')).toBeTruthy();

    const logoutUrl = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT, state: 'bye' });
    expect(logoutUrl.pathname).toBe('/session/end');
    const { response: confirmPage } = await agent.follow(logoutUrl);
    expect(confirmPage.status).toBe(200);
    const html = await confirmPage.text();
    expect(html).toContain('Web App');
    expect(html).toMatch(/<form id="op.logoutForm" method="post" action="[^"]*\/session\/end\/confirm"/);
    const xsrf = html.match(/name="xsrf" value="([^"]+)"/)?.[1];
    expect(xsrf).toBeTruthy();

    const { response, url } = await agent.submit('/session/end/confirm', { xsrf: xsrf!, logout: 'yes' });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    expect(`${url.origin}${url.pathname}`).toBe(POST_LOGOUT);
    expect(url.searchParams.get('state')).toBe('bye');

    const after = await authorizeOnly(op, config, { agent, prompt: 'none' }).catch((e: Error) => e);
    expect(after).not.toBeInstanceOf(Error);
    const callback = (after as Awaited<ReturnType<typeof authorizeOnly>>).callback;
    expect(callback.searchParams.get('error')).toBe('login_required');
    expect(callback.searchParams.get('code')).toBeNull();
    // Logout also ends the grants made in this session that are not for offline access.
    expect(await introspect(op, tokens.access_token)).toEqual({ active: false });
  });

  it('keeps an offline_access grant: its refresh token still works after logout', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    const { tokens } = await signIn(op, config, { scope: 'openid offline_access', prompt: 'consent', agent });
    const { response } = await agent.follow(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT }));
    const xsrf = (await response.text()).match(/name="xsrf" value="([^"]+)"/)![1]!;
    const { url } = await agent.submit('/session/end/confirm', { xsrf, logout: 'yes' });
    expect(`${url.origin}${url.pathname}`).toBe(POST_LOGOUT);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();
  });

  it('refuses an unregistered post_logout_redirect_uri with an error page, never a redirect', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    const { tokens } = await signIn(op, config, { agent });
    const url = client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example/after' });
    const response = await agent.request(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('invalid_request');
  });

  it('submitting the confirmation without a valid xsrf does not end the session', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    const { tokens } = await signIn(op, config, { agent });
    await agent.follow(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: POST_LOGOUT }));
    const { response } = await agent.submit('/session/end/confirm', { xsrf: 'forged', logout: 'yes' });
    expect(response.status).toBe(400);
    const still = await authorizeOnly(op, config, { agent, prompt: 'none' });
    expect(still.callback.searchParams.get('code')).toBeTruthy();
  });

  it('without post_logout_redirect_uri ends on the provider\'s own signed-out page', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    const { tokens } = await signIn(op, config, { agent });
    const { response } = await agent.follow(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! }));
    const xsrf = (await response.text()).match(/name="xsrf" value="([^"]+)"/)![1]!;
    const { response: done, url } = await agent.submit('/session/end/confirm', { xsrf, logout: 'yes' });
    expect(url.origin).toBe(op.issuer);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Signed out');
    const after = await authorizeOnly(op, config, { agent, prompt: 'none' });
    expect(after.callback.searchParams.get('error')).toBe('login_required');
  });
});
