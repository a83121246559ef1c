/**
 * Sign-in with an upstream OpenID Provider over real HTTP: our provider (openid-client inside)
 * against a second oidc-provider playing Google on loopback, the RP being openid-client too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { auditRecords } from '../../helpers/audit.js';
import { freePort, startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';
import { startUpstreamIssuer, type UpstreamIssuer } from '../../helpers/upstream-issuer.js';

let upstream: UpstreamIssuer;
let op: TestProvider;

beforeAll(async () => {
  upstream = await startUpstreamIssuer();
  const dead = `http://127.0.0.1:${await freePort()}`;
  const providers = [...JSON.parse(upstream.providerJson('corp', 'Corp SSO')), { id: 'dead', name: 'Dead SSO', issuer: dead, client_id: 'x', client_secret: 'dead-secret' }];
  op = await startTestProvider({
    env: {
      UPSTREAM_OIDC_PROVIDERS: JSON.stringify(providers),
      FEDERATION_ALLOW_HTTP_ISSUERS: 'true',
      FEDERATION_AUTO_REGISTER: 'true',
      FEDERATION_LINK_BY_EMAIL: 'true',
    },
  });
  await upstream.register(`${op.issuer}/federation/callback`);
});
afterAll(async () => {
  await op?.stop();
  await upstream?.stop();
});

/** Starts a sign-in at our provider and clicks "Continue with Corp SSO"; @returns where the upstream sent the browser back. */
async function viaUpstream() {
  const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email profile' });
  const agent = new UserAgent(op.issuer);
  const login = await agent.follow(request.url);
  const html = await login.response.text();
  expect(html).toContain('Continue with Corp SSO');
  const href = /href="(\/interaction\/[^"]+\/federation\/corp)"/.exec(html)![1]!;
  const started = await agent.follow(href);
  expect(started.url.origin).toBe(upstream.issuer);
  expect(started.url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(started.url.searchParams.get('state')).toBeTruthy();
  expect(started.url.searchParams.get('nonce')).toBeTruthy();
  const browserAtUpstream = new UserAgent(upstream.issuer);
  const back = await browserAtUpstream.follow(started.url);
  expect(back.url.href.startsWith(`${op.issuer}/federation/callback?`)).toBe(true);
  return { config, request, agent, callback: back.url };
}

async function tokensOf(flow: Awaited<ReturnType<typeof viaUpstream>>, clientCallback: URL) {
  const tokens = await client.authorizationCodeGrant(flow.config, clientCallback, {
    pkceCodeVerifier: flow.request.verifier,
    expectedState: flow.request.state,
    expectedNonce: flow.request.nonce,
  });
  return tokens.claims()!;
}

describe('sign-in with an upstream OpenID Provider', () => {
  it('registers a new account on the first sign-in, with email_verified from the upstream', async () => {
    upstream.next = { sub: 'upstream-new-1', email: 'New.Person@Example.org', email_verified: true, name: 'New Person' };
    const flow = await viaUpstream();
    const done = await authorize(flow.agent, flow.callback, undefined);
    const claims = await tokensOf(flow, done.callback);
    expect(claims.amr).toEqual(['fed']);
    expect(claims.acr).toBe('urn:oidc-server:acr:pwd');
    const user = await op.running.container.users.findByLogin('new.person@example.org');
    expect(user).toMatchObject({ email: 'new.person@example.org', emailVerified: true, profile: { name: 'New Person' } });
    expect(claims.sub).toBe(user!.id);
    const registered = await auditRecords(op, 'auth.federation.registered');
    expect(registered.at(-1)).toMatchObject({ outcome: 'success', subject: { id: user!.id } });

    // The second sign-in finds the linked identity: same account, nothing new created.
    const again = await viaUpstream();
    const second = await authorize(again.agent, again.callback, undefined);
    expect((await tokensOf(again, second.callback)).sub).toBe(user!.id);
    expect(await auditRecords(op, 'auth.federation.registered')).toHaveLength(registered.length);
  });

  it('links to an existing account only after its password, then signs in', async () => {
    upstream.next = { sub: 'upstream-alice', email: TEST_USER.email, email_verified: true };
    const flow = await viaUpstream();
    const linkPage = await flow.agent.follow(flow.callback);
    const html = await linkPage.response.text();
    expect(linkPage.url.pathname).toMatch(/\/federation\/link$/);
    expect(html).toContain('Link your Corp SSO account');
    const action = formAction(html, '/interaction/');

    const wrong = await flow.agent.submit(action, { csrf: csrfOf(html), password: 'not the password' });
    expect(wrong.response.status).toBe(401);
    const wrongHtml = await wrong.response.text();
    expect(wrongHtml).toContain('The password is not correct.');
    expect(await op.running.container.linkedIdentities.list((await op.running.container.users.findByLogin(TEST_USER.username))!.id)).toMatchObject({ identities: [] });

    const right = await flow.agent.submit(action, { csrf: csrfOf(wrongHtml), password: TEST_USER.password });
    expect(right.url.origin === op.issuer ? right.url.pathname : 'client').not.toMatch(/federation\/link/);
    // The consent page (or the client) comes next: a GET of where we landed continues from there.
    const done = right.url.origin === op.issuer ? await authorize(flow.agent, right.url, undefined) : { callback: right.url };
    const claims = await tokensOf(flow, done.callback);
    const alice = await op.running.container.users.findByLogin(TEST_USER.username);
    expect(claims.sub).toBe(alice!.id);
    expect(claims.amr).toEqual(['fed']);
    const linked = await op.running.container.linkedIdentities.list(alice!.id);
    expect(linked.identities).toMatchObject([{ providerId: 'corp', issuer: upstream.issuer, subject: 'upstream-alice' }]);
    expect((await auditRecords(op, 'auth.federation.linked')).at(-1)).toMatchObject({ details: { via: 'email_and_password' } });
  });

  it('refuses to link when the upstream does not assert a verified email', async () => {
    await op.running.container.users.create({ id: 'user-bob', username: 'bob', email: 'bob@example.com', emailVerified: true, profile: {} });
    upstream.next = { sub: 'upstream-bob', email: 'bob@example.com', email_verified: false };
    const flow = await viaUpstream();
    const refused = await flow.agent.follow(flow.callback);
    expect(refused.response.status).toBe(403);
    const html = await refused.response.text();
    expect(html).toContain('did not confirm that your email address is verified');
    expect(html).toContain('name="password"'); // back on the sign-in page, which still works
    expect(await op.running.container.linkedIdentities.list('user-bob')).toMatchObject({ identities: [] });
    expect((await auditRecords(op, 'auth.federation.refused')).at(-1)).toMatchObject({ outcome: 'denied', details: { reason: 'email_unverified' } });
  });

  it('shows a denial at the upstream plainly on the sign-in page', async () => {
    upstream.next = 'deny';
    const flow = await viaUpstream();
    expect(flow.callback.searchParams.get('error')).toBe('access_denied');
    const page = await flow.agent.follow(flow.callback);
    expect(page.response.status).toBe(400);
    expect(await page.response.text()).toContain('Sign-in with Corp SSO was cancelled or denied.');
    expect((await auditRecords(op, 'auth.federation.failure')).at(-1)).toMatchObject({ details: { failure: 'denied' } });
  });

  it('rejects a callback whose code the upstream does not accept, and says so plainly', async () => {
    upstream.next = { sub: 'upstream-tampered', email: 'tampered@example.org', email_verified: true };
    const flow = await viaUpstream();
    const tampered = new URL(flow.callback);
    tampered.searchParams.set('code', 'not-a-code-the-upstream-issued');
    const page = await flow.agent.follow(tampered);
    expect(page.response.status).toBe(400);
    expect(await page.response.text()).toContain('Corp SSO sent an answer that could not be verified.');
    expect(await op.running.container.users.findByLogin('tampered@example.org')).toBeUndefined();
    expect((await auditRecords(op, 'auth.federation.failure')).at(-1)).toMatchObject({ details: { failure: 'invalid', provider: 'corp' } });
  });

  it('explains an upstream that cannot be reached, and the password form still works', async () => {
    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    const agent = new UserAgent(op.issuer);
    const html = await (await agent.follow(request.url)).response.text();
    const href = /href="(\/interaction\/[^"]+\/federation\/dead)"/.exec(html)![1]!;
    const page = await agent.follow(href);
    expect(page.response.status).toBe(502);
    const text = await page.response.text();
    expect(text).toContain('Dead SSO cannot be reached right now.');
    expect(text).not.toContain('dead-secret');
    const done = await authorize(agent, page.url, { login: TEST_USER.username, password: TEST_USER.password });
    expect(done.callback.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a replayed callback and a callback in another browser', async () => {
    upstream.next = { sub: 'upstream-replay', email: 'replay@example.org', email_verified: true };
    const flow = await viaUpstream();
    // Another browser (no interaction cookie) cannot use the callback.
    const stranger = new UserAgent(op.issuer);
    const foreign = await stranger.follow(flow.callback);
    expect(foreign.response.status).toBeGreaterThanOrEqual(400);
    expect(await foreign.response.text()).not.toContain('replay@example.org');
    // The rightful browser completes once; the same callback again is refused.
    await authorize(flow.agent, flow.callback, undefined);
    const replay = await flow.agent.follow(flow.callback);
    expect(replay.response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('a disabled account', () => {
  it('cannot sign in through its linked upstream identity', async () => {
    const alice = (await op.running.container.users.findByUsername(TEST_USER.username))!;
    expect((await op.running.container.linkedIdentities.list(alice.id)).identities).toHaveLength(1);
    await op.running.container.users.updateVersioned(alice.id, 'any', { disabled: true });
    upstream.next = { sub: 'upstream-alice', email: TEST_USER.email, email_verified: true };
    const flow = await viaUpstream();
    const page = await flow.agent.follow(flow.callback);
    expect(page.response.status).toBe(403);
    expect(await page.response.text()).toContain('This account is disabled.');
    expect((await auditRecords(op, 'auth.federation.refused')).at(-1)).toMatchObject({ details: { reason: 'disabled' } });
  });
});

describe('upstream requests per IP', () => {
  it('are limited (ten times LOGIN_FAILURE_LIMIT per window)', async () => {
    const small = await startTestProvider({ env: { UPSTREAM_OIDC_PROVIDERS: upstream.providerJson('corp', 'Corp SSO'), FEDERATION_ALLOW_HTTP_ISSUERS: 'true', LOGIN_FAILURE_LIMIT: '1' } });
    try {
      const config = await discover(small.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
      const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
      const agent = new UserAgent(small.issuer);
      const html = await (await agent.follow(request.url)).response.text();
      const href = /href="(\/interaction\/[^"]+\/federation\/corp)"/.exec(html)![1]!;
      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1) statuses.push((await agent.request(href)).status);
      expect(statuses.slice(0, 10).every((s) => s === 302)).toBe(true);
      expect(statuses[10]).toBe(429);
    } finally {
      await small.stop();
    }
  });
});

describe('federation configuration', () => {
  it('refuses an http upstream issuer unless explicitly allowed, naming the variable', async () => {
    const port = await freePort();
    await expect(
      startTestProvider({ seed: false, env: { UPSTREAM_OIDC_PROVIDERS: JSON.stringify([{ id: 'x', name: 'X', issuer: `http://127.0.0.1:${port}`, client_id: 'a', client_secret: 'super-secret-value' }]) } }),
    ).rejects.toThrow(/FEDERATION_ALLOW_HTTP_ISSUERS/);
  });
});
