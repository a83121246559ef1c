/**
 * Shared steps of the protocol suites: a full code flow as openid-client sees it, raw token /
 * introspection requests (for asserting exact error responses), and JWT checks with jose against
 * the provider's published JWKS. Not a test file: vitest only collects `*.test.ts`.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyResult } from 'jose';
import { expect } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';

export const alice = { login: TEST_USER.username, password: TEST_USER.password };

export type RpConfig = Awaited<ReturnType<typeof discover>>;

export function webClient(op: TestProvider): Promise<RpConfig> {
  return discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
}

export interface SignInOptions {
  redirectUri?: string;
  scope?: string;
  prompt?: string;
  resource?: string;
  agent?: UserAgent;
  consent?: 'allow' | 'deny';
  extra?: Record<string, string>;
  /** Who signs in (default: the seeded test user). */
  user?: { login: string; password: string };
}

/** Starts an authorization request and drives the browser to the client's redirect URI (no token request yet). */
export async function authorizeOnly(op: TestProvider, config: RpConfig, options: SignInOptions = {}) {
  const { url, verifier, state, nonce } = await authorizationRequest(config, {
    redirect_uri: options.redirectUri ?? WEB_CLIENT.redirect_uri,
    scope: options.scope ?? 'openid email',
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.resource ? { resource: options.resource } : {}),
    ...options.extra,
  });
  const agent = options.agent ?? new UserAgent(op.issuer);
  const { callback, pages } = await authorize(agent, url, options.user ?? alice, { consent: options.consent ?? 'allow' });
  return { callback, pages, verifier, state, nonce, agent };
}

/** A complete authorization code flow with PKCE, ending with openid-client's token request. */
export async function signIn(op: TestProvider, config: RpConfig, options: SignInOptions = {}) {
  const flow = await authorizeOnly(op, config, options);
  const tokens = await client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
  });
  return { ...flow, tokens };
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A raw form POST to one of the provider's endpoints; @returns status, headers and parsed JSON. */
export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return readJson(response);
}

/** Status, headers and the JSON body of a response (`{ text }` when the body is not JSON). */
export async function readJson(response: Response) {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, headers: response.headers, body };
}

/** HTTP Basic credentials of the seeded web client. */
export const webClientAuth = () => ({ authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });

export function endpoints(op: TestProvider) {
  return {
    token: `${op.issuer}/token`,
    introspection: `${op.issuer}/token/introspection`,
    revocation: `${op.issuer}/token/revocation`,
    userinfo: `${op.issuer}/me`,
    jwks: `${op.issuer}/jwks`,
  };
}

/** Introspects as the web client (a confidential client may introspect any token). */
export async function introspect(op: TestProvider, token: string, as: { id: string; secret: string } = { id: WEB_CLIENT.client_id, secret: WEB_CLIENT.client_secret }) {
  const { status, body } = await postForm(endpoints(op).introspection, { token }, { authorization: basic(as.id, as.secret) });
  expect(status).toBe(200);
  return body;
}

/** Asserts that an openid-client call fails with the given OAuth error code; @returns the error. */
export async function expectOAuthError(promise: Promise<unknown>, error: string, status?: number) {
  const failure = await promise.then(
    () => {
      throw new Error(`expected ${error}, but the request succeeded`);
    },
    (e: unknown) => e as { error?: string; status?: number; cause?: unknown },
  );
  expect(failure.error, String(failure)).toBe(error);
  if (status) expect(failure.status).toBe(status);
  return failure;
}

/** Verifies a JWT against the provider's JWKS endpoint (fetched fresh for every call). */
export async function verifyJwt(op: TestProvider, jwt: string, options: { typ?: string; audience?: string } = {}): Promise<JWTVerifyResult<JWTPayload>> {
  const jwks = createRemoteJWKSet(new URL(endpoints(op).jwks), { cooldownDuration: 0, cacheMaxAge: 0 });
  return jwtVerify(jwt, jwks, { issuer: op.issuer, ...(options.typ ? { typ: options.typ } : {}), ...(options.audience ? { audience: options.audience } : {}) });
}
