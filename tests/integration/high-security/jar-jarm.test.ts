/**
 * Signed request objects (RFC 9101) and JWT-secured authorization responses (JARM), with
 * openid-client's buildAuthorizationUrlWithJAR and useJwtResponseMode: a client with
 * require_signed_request_object signs in by value and by reference through PAR, and verifies the
 * signed response; plain form_post for a plain client. Refused: a request object signed with a
 * key the client did not register, one with alg none, an unsigned request from a client that
 * must sign, a pushed request object past its exp (the request_uri expires with it).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, UnsecuredJWT } from 'jose';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { defaultSeed, startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, pkcePair } from '../../helpers/rp.js';
import { alice, basic, postForm, signIn, webClient } from '../protocol/support.js';
import { clientKey, type ClientKey } from './support.js';

const JAR = { client_id: 'jar-web', client_secret: 'jar-web-secret-that-is-long-enough-0123456789', redirect_uri: 'http://127.0.0.1:9999/jar-cb' };
let op: TestProvider;
let key: ClientKey;
let stranger: ClientKey;

beforeAll(async () => {
  [key, stranger] = await Promise.all([clientKey('ES256'), clientKey('ES256')]);
  const seed = defaultSeed();
  (seed.clients as unknown[]).push({
    client_id: JAR.client_id,
    client_secret: JAR.client_secret,
    redirect_uris: [JAR.redirect_uri],
    scope: 'openid email',
    jwks: { keys: [key.jwk] },
    require_signed_request_object: true,
    request_object_signing_alg: 'ES256',
    authorization_signed_response_alg: 'ES256',
  });
  op = await startTestProvider({ seed });
});
afterAll(async () => {
  await op?.stop();
});

const jarClient = () => client.discovery(new URL(op.issuer), JAR.client_id, {}, client.ClientSecretBasic(JAR.client_secret), { execute: [client.allowInsecureRequests] });

/** A request object as a client signs it (RFC 9101 §4); `claims` override. */
async function requestObject(signer: ClientKey | 'none', claims: Record<string, unknown> = {}) {
  const { challenge } = await pkcePair();
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: JAR.client_id, aud: op.issuer, client_id: JAR.client_id, response_type: 'code', redirect_uri: JAR.redirect_uri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', jti: randomUUID(), iat: now, nbf: now, exp: now + 300, ...claims };
  if (signer === 'none') return new UnsecuredJWT(payload).encode();
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'oauth-authz-req+jwt' }).sign(signer.privateKey);
}

const push = (fields: Record<string, string>) => postForm(`${op.issuer}/request`, fields, { authorization: basic(JAR.client_id, JAR.client_secret) });

describe('signed request objects and JARM', () => {
  it('by value: a signed request and a signed response the RP verifies', async () => {
    const config = await jarClient();
    client.useJwtResponseMode(config);
    const { verifier, challenge } = await pkcePair();
    const state = client.randomState();
    const url = await client.buildAuthorizationUrlWithJAR(config, { redirect_uri: JAR.redirect_uri, scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', state, response_mode: 'jwt' }, { key: key.privateKey, kid: key.kid } as never);
    expect(url.searchParams.get('request')).toBeTruthy();
    const { callback } = await authorize(new UserAgent(op.issuer), url, alice);
    // JARM: the code travels inside a JWT signed by the provider; no bare code in the URL.
    expect(callback.searchParams.get('response')).toBeTruthy();
    expect(callback.searchParams.get('code')).toBeNull();
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()?.aud).toBe(JAR.client_id);
  });

  it('by reference through PAR: the pushed request object is what the provider uses', async () => {
    const config = await jarClient();
    const { verifier, challenge } = await pkcePair();
    const state = client.randomState();
    const withJar = await client.buildAuthorizationUrlWithJAR(config, { redirect_uri: JAR.redirect_uri, scope: 'openid email', code_challenge: challenge, code_challenge_method: 'S256', state }, { key: key.privateKey, kid: key.kid } as never);
    const url = await client.buildAuthorizationUrlWithPAR(config, withJar.searchParams);
    const { callback } = await authorize(new UserAgent(op.issuer), url, alice);
    expect((await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state })).access_token).toBeTruthy();
  });

  it('a request object signed with a key the client did not register is refused', async () => {
    const { status, body } = await push({ request: await requestObject(stranger) });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request_object');
  });

  it('a request object with alg none is refused', async () => {
    const { status, body } = await push({ request: await requestObject('none') });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request_object');
  });

  it('a client that must sign is refused a plain request', async () => {
    const { challenge } = await pkcePair();
    const { status, body } = await push({ response_type: 'code', redirect_uri: JAR.redirect_uri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(/Request Object must be used/);
  });

  it('a pushed request object expires with its exp: the request_uri is refused after it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { status, body } = await push({ request: await requestObject(key, { exp: now + 1 }) });
    expect(status).toBe(201);
    expect(body.expires_in).toBeLessThanOrEqual(1);
    // The only way to let a request_uri expire is to wait past it.
    await sleep(2500);
    const url = new URL(`${op.issuer}/auth`);
    url.searchParams.set('client_id', JAR.client_id);
    url.searchParams.set('request_uri', body.request_uri as string);
    const html = await (await fetch(url, { redirect: 'manual' })).text();
    expect(html).toMatch(/invalid_request_uri/);
  });
});

describe('form_post', () => {
  it('a plain client gets the code in an auto-submitted form and redeems it (openid-client)', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    await signIn(op, config, { agent });
    // Signed in and consented already: the provider answers at once, with the form.
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email', response_mode: 'form_post' });
    const { response } = await agent.follow(request.url);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain(`action="${WEB_CLIENT.redirect_uri}"`);
    const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    expect(fields).toMatchObject({ state: request.state, iss: op.issuer });
    const callback = new Request(WEB_CLIENT.redirect_uri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    expect(tokens.access_token).toBeTruthy();
  });

  it('discovery lists the response modes and request object support', async () => {
    const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.response_modes_supported).toEqual(expect.arrayContaining(['query', 'form_post', 'jwt', 'query.jwt', 'fragment.jwt', 'form_post.jwt']));
    expect(metadata.request_parameter_supported).toBe(true);
    // Those the provider has signing keys for (ES256 and RS256), never none or HS256.
    expect(metadata.authorization_signing_alg_values_supported).toEqual(['ES256', 'RS256']);
    expect(metadata.request_object_signing_alg_values_supported).toEqual(['PS256', 'ES256', 'EdDSA']);
  });
});
