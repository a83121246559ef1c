/**
 * Pushed authorization requests (RFC 9126) with openid-client's buildAuthorizationUrlWithPAR: a
 * client registered with require_pushed_authorization_requests signs a user in through PAR and is
 * refused without it; the request_uri is single-use (its expiry: jar.test.ts, through a request
 * object's exp); PAR_REQUIRED makes every client push, and discovery says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { defaultSeed, startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, pkcePair } from '../../helpers/rp.js';
import { alice, webClient } from '../protocol/support.js';

const PAR_CLIENT = { client_id: 'par-web', client_secret: 'par-web-secret-that-is-long-enough-0123456789', redirect_uri: 'http://127.0.0.1:9999/par-cb' };
let op: TestProvider;

beforeAll(async () => {
  const seed = defaultSeed();
  (seed.clients as unknown[]).push({
    client_id: PAR_CLIENT.client_id,
    client_secret: PAR_CLIENT.client_secret,
    redirect_uris: [PAR_CLIENT.redirect_uri],
    scope: 'openid email',
    require_pushed_authorization_requests: true,
  });
  op = await startTestProvider({ seed });
});
afterAll(async () => {
  await op?.stop();
});

const parClient = (issuer: string) =>
  client.discovery(new URL(issuer), PAR_CLIENT.client_id, {}, client.ClientSecretBasic(PAR_CLIENT.client_secret), { execute: [client.allowInsecureRequests] });

async function pushed(config: client.Configuration, redirectUri = PAR_CLIENT.redirect_uri) {
  const { verifier, challenge } = await pkcePair();
  const state = client.randomState();
  const url = await client.buildAuthorizationUrlWithPAR(config, { redirect_uri: redirectUri, scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', state });
  return { url, verifier, state };
}

/** The error the authorization endpoint answers with: from the redirect to the client, or the error page. */
async function authorizationError(url: URL): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (location) return new URL(location, url).searchParams.get('error') ?? `redirect without error: ${location}`;
  const html = await response.text();
  return /invalid_request_uri|invalid_request/.exec(html)?.[0] ?? `status ${response.status}`;
}

describe('pushed authorization requests', () => {
  it('a client that must push signs a user in through PAR (openid-client)', async () => {
    const config = await parClient(op.issuer);
    const { url, verifier, state } = await pushed(config);
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const { callback } = await authorize(new UserAgent(op.issuer), url, alice);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()?.sub).toBeTruthy();
  });

  it('the same client is refused an authorization request that was not pushed', async () => {
    const config = await parClient(op.issuer);
    const { challenge } = await pkcePair();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: PAR_CLIENT.redirect_uri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(await authorizationError(url)).toBe('invalid_request');
  });

  it('a request_uri is single-use', async () => {
    const config = await parClient(op.issuer);
    const { url, verifier, state } = await pushed(config);
    const agent = new UserAgent(op.issuer);
    const { callback } = await authorize(agent, url, alice);
    await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    // Used once: the same request_uri again is refused, even for the browser that completed it.
    expect(await authorizationError(url)).toBe('invalid_request_uri');
    const again = await agent.follow(url);
    expect(again.url.searchParams.get('error') ?? (await again.response.text()).match(/invalid_request_uri/)?.[0]).toBe('invalid_request_uri');
  });

  it('other clients may still send plain authorization requests', async () => {
    const config = await webClient(op);
    const { challenge } = await pkcePair();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.headers.get('location')).toMatch(/\/interaction\//);
  });
});

describe('PAR_REQUIRED', () => {
  let strict: TestProvider;
  beforeAll(async () => {
    strict = await startTestProvider({ env: { PAR_REQUIRED: 'true' } });
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('discovery says every request must be pushed, and a plain request is refused', async () => {
    const metadata = (await (await fetch(`${strict.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.require_pushed_authorization_requests).toBe(true);
    expect(metadata.pushed_authorization_request_endpoint).toBe(`${strict.issuer}/request`);
    const config = await webClient(strict);
    const { challenge } = await pkcePair();
    const url = client.buildAuthorizationUrl(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(await authorizationError(url)).toBe('invalid_request');
  });

});
