/**
 * Conformance-suite style negative tests of the code flow: each request a careful provider must
 * refuse, and how it refuses — at the client's redirect URI when the redirect URI is trusted, on
 * an error page (never a redirect) when it is not, and with the exact OAuth error code.
 * The last block restarts the provider (same database) with a one-second code lifetime.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { SPA_CLIENT, startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, discover, pkcePair } from '../../helpers/rp.js';
import { alice, authorizeOnly, basic, endpoints, expectOAuthError, introspect, postForm, signIn, webClient, webClientAuth, type RpConfig } from './support.js';

let op: TestProvider;
let config: RpConfig;
beforeAll(async () => {
  op = await startTestProvider();
  config = await webClient(op);
});
afterAll(async () => {
  await op?.stop();
});

const webAuth = webClientAuth;

/** A raw code exchange, so a test controls every parameter. */
function exchange(code: string, fields: Record<string, string | undefined>, headers: Record<string, string> = webAuth()) {
  const body: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: WEB_CLIENT.redirect_uri };
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) delete body[k];
    else body[k] = v;
  }
  return postForm(endpoints(op).token, body, headers);
}

/** An authorization URL for the web client with every parameter overridable (undefined removes one). */
async function authorizationUrl(overrides: Record<string, string | undefined> = {}) {
  const { challenge } = await pkcePair();
  const url = new URL(`${op.issuer}/auth`);
  const params: Record<string, string | undefined> = {
    client_id: WEB_CLIENT.client_id,
    response_type: 'code',
    redirect_uri: WEB_CLIENT.redirect_uri,
    scope: 'openid',
    state: 'st-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** @returns the redirect the provider answered with, which must go to the client's redirect URI. */
async function redirectedToClient(url: URL): Promise<URL> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(WEB_CLIENT.redirect_uri);
  return location;
}

async function expectErrorPage(url: URL, error: string) {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(400);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  const html = await response.text();
  expect(html).toContain(error);
  expect(html).not.toContain(WEB_CLIENT.redirect_uri);
}

describe('token endpoint', () => {
  it('a reused authorization code fails with invalid_grant and revokes the tokens of the first exchange', async () => {
    const flow = await authorizeOnly(op, config);
    const checks = { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce };
    const first = await client.authorizationCodeGrant(config, flow.callback, checks);
    expect(await introspect(op, first.access_token)).toMatchObject({ active: true });
    await expectOAuthError(client.authorizationCodeGrant(config, flow.callback, checks), 'invalid_grant', 400);
    expect(await introspect(op, first.access_token)).toEqual({ active: false });
  });

  it('a wrong client secret fails with 401 invalid_client and leaves the code usable', async () => {
    const flow = await authorizeOnly(op, config);
    const code = flow.callback.searchParams.get('code')!;
    const wrong = await exchange(code, { code_verifier: flow.verifier }, { authorization: basic(WEB_CLIENT.client_id, 'wrong-secret-that-is-long-enough-1234567890') });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(wrong.body).not.toHaveProperty('access_token');
    const right = await exchange(code, { code_verifier: flow.verifier });
    expect(right.status).toBe(200);
  });

  it('a missing code_verifier fails with invalid_grant', async () => {
    const flow = await authorizeOnly(op, config);
    const { status, body } = await exchange(flow.callback.searchParams.get('code')!, {});
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('a wrong code_verifier fails with invalid_grant', async () => {
    const flow = await authorizeOnly(op, config);
    const { verifier: other } = await pkcePair();
    const { status, body } = await exchange(flow.callback.searchParams.get('code')!, { code_verifier: other });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('a redirect_uri different from the authorization request fails with invalid_grant', async () => {
    const flow = await authorizeOnly(op, config);
    const { status, body } = await exchange(flow.callback.searchParams.get('code')!, { code_verifier: flow.verifier, redirect_uri: 'http://127.0.0.1:9999/other' });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('a code issued to another client fails with invalid_grant', async () => {
    const spa = await discover(op.issuer, SPA_CLIENT.client_id);
    const flow = await authorizeOnly(op, spa, { redirectUri: SPA_CLIENT.redirect_uri });
    const { status, body } = await exchange(flow.callback.searchParams.get('code')!, { code_verifier: flow.verifier, redirect_uri: SPA_CLIENT.redirect_uri });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });
});

describe('authorization endpoint', () => {
  it('an unregistered redirect_uri gets an HTML error page, never a redirect', async () => {
    await expectErrorPage(await authorizationUrl({ redirect_uri: 'https://evil.example/cb' }), 'redirect_uri');
    // Exact matching: a registered URI with an extra path segment or query is not registered.
    await expectErrorPage(await authorizationUrl({ redirect_uri: `${WEB_CLIENT.redirect_uri}/x` }), 'redirect_uri');
    await expectErrorPage(await authorizationUrl({ redirect_uri: `${WEB_CLIENT.redirect_uri}?x=1` }), 'redirect_uri');
  });

  it('a missing redirect_uri gets an error page, even with a single registered URI', async () => {
    await expectErrorPage(await authorizationUrl({ redirect_uri: undefined }), 'invalid_request');
  });

  it('an unknown client_id gets an HTML error page, never a redirect', async () => {
    await expectErrorPage(await authorizationUrl({ client_id: 'no-such-client' }), 'invalid_client');
  });

  it('a request without code_challenge is refused with invalid_request at the redirect URI', async () => {
    const location = await redirectedToClient(await authorizationUrl({ code_challenge: undefined, code_challenge_method: undefined }));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('iss')).toBe(op.issuer);
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('code_challenge_method=plain is refused with invalid_request at the redirect URI', async () => {
    const location = await redirectedToClient(await authorizationUrl({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }));
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge_method/);
    expect(location.searchParams.get('state')).toBe('st-123');
  });

  it('response_type=token (implicit) is refused at the redirect URI', async () => {
    const location = await redirectedToClient(await authorizationUrl({ response_type: 'token' }));
    // The error uses the response mode the requested type defaults to: fragment for `token`.
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('error')).toBe('unsupported_response_type');
    expect(fragment.get('state')).toBe('st-123');
    expect(fragment.get('access_token')).toBeNull();
  });

  it('prompt=none without a session answers login_required at the redirect URI with the exact state', async () => {
    const state = client.randomState();
    const location = await redirectedToClient(await authorizationUrl({ prompt: 'none', state }));
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('max_age=0 with a session shows the login form again and the ID token carries the new auth_time', async () => {
    const agent = new UserAgent(op.issuer);
    // max_age makes auth_time a required ID token claim (OIDC Core §2, §3.1.2.1).
    const first = await signIn(op, config, { agent, extra: { max_age: '3600' } });
    const firstAuthTime = first.tokens.claims()!.auth_time!;
    expect(firstAuthTime).toEqual(expect.any(Number));
    // Without max_age the session is reused: no password form.
    const reused = await authorizeOnly(op, config, { agent });
    expect(reused.pages.some((p) => p.includes('name="password"'))).toBe(false);

    const before = Math.floor(Date.now() / 1000);
    const again = await signIn(op, config, { agent, extra: { max_age: '0' } });
    expect(again.pages.some((p) => p.includes('name="password"'))).toBe(true);
    const claims = decodeJwt(again.tokens.id_token!);
    expect(claims.auth_time).toEqual(expect.any(Number));
    // The new login's time, not the session's original one (equal only within the same second).
    expect(claims.auth_time).toBeGreaterThanOrEqual(before);
    expect(claims.auth_time).toBeGreaterThanOrEqual(firstAuthTime);
    expect(claims.sub).toBe(first.tokens.claims()!.sub);
  });

  it('echoes state exactly, including characters that need URL encoding', async () => {
    const state = 'a b&c=d/é+%20?#';
    const { callback } = await authorizeOnly(op, config, { extra: { state } });
    expect(callback.searchParams.get('state')).toBe(state);
    const prompted = await redirectedToClient(await authorizationUrl({ prompt: 'none', state }));
    expect(prompted.searchParams.get('state')).toBe(state);
  });

  it('a denied consent answers access_denied at the redirect URI', async () => {
    // prompt=consent: earlier tests of this file already granted these scopes, and consent is remembered.
    const flow = await authorizeOnly(op, config, { consent: 'deny', prompt: 'consent', extra: { state: 'deny-state' } });
    expect(flow.callback.searchParams.get('error')).toBe('access_denied');
    expect(flow.callback.searchParams.get('state')).toBe('deny-state');
    expect(flow.callback.searchParams.get('code')).toBeNull();
    expect(flow.pages.some((p) => p.includes('name="decision"'))).toBe(true);
  });

  it('a login with a wrong password is refused on the page and never reaches the client', async () => {
    const agent = new UserAgent(op.issuer);
    const { response: loginPage } = await agent.follow(await authorizationUrl());
    const html = await loginPage.text();
    expect(html).toContain('name="password"');
    const { response } = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), login: alice.login, password: 'wrong password' });
    expect(response.status).toBe(401);
    expect(response.headers.get('location')).toBeNull();
    const retry = await response.text();
    expect(retry).toContain('Invalid username or password.');
    expect(retry).toContain('name="password"');
  });
});

describe('interaction pages', () => {
  it('a login form posted with a forged csrf token is refused (403) and signs nobody in', async () => {
    const agent = new UserAgent(op.issuer);
    const { response: loginPage } = await agent.follow(await authorizationUrl());
    const html = await loginPage.text();
    const { response } = await agent.submit(formAction(html, '/interaction/'), { csrf: 'forged', login: alice.login, password: alice.password });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('csrf_failed');
    const silent = await redirectedToClient(await authorizationUrl({ prompt: 'none' }));
    expect(silent.searchParams.get('error')).toBe('login_required');
  });

  it('cancelling on the login page answers access_denied at the redirect URI', async () => {
    const agent = new UserAgent(op.issuer);
    const { response: loginPage } = await agent.follow(await authorizationUrl({ state: 'cancel-state' }));
    const html = await loginPage.text();
    const { url } = await agent.submit(formAction(html, '/interaction/[^"]*/abort'), { csrf: csrfOf(html) });
    expect(`${url.origin}${url.pathname}`).toBe(WEB_CLIENT.redirect_uri);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('cancel-state');
  });

  it('prompt=none with a session but a scope not yet consented answers consent_required', async () => {
    const agent = new UserAgent(op.issuer);
    await signIn(op, config, { agent, scope: 'openid' });
    const flow = await authorizeOnly(op, config, { agent, scope: 'openid profile', prompt: 'none' });
    expect(flow.callback.searchParams.get('error')).toBe('consent_required');
    expect(flow.callback.searchParams.get('code')).toBeNull();
    expect(flow.pages).toHaveLength(0);
  });
});

// Last in the file: it restarts the provider with a one-second code lifetime, and restores the
// defaults afterwards so tests added below it still see them.
describe('authorization code lifetime (AUTHORIZATION_CODE_TTL=1)', () => {
  beforeAll(async () => {
    await op.restart({ AUTHORIZATION_CODE_TTL: '1' });
  });
  afterAll(async () => {
    await op.restart();
  });

  it('an expired code fails with invalid_grant', async () => {
    const flow = await authorizeOnly(op, config);
    expect(flow.callback.searchParams.get('code')).toBeTruthy();
    // The only sleep of the protocol suites: a code lifetime cannot be shorter than 1 s.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await expectOAuthError(
      client.authorizationCodeGrant(config, flow.callback, { pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce }),
      'invalid_grant',
      400,
    );
  });
});
