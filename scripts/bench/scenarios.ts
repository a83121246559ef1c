/** The fixed-request scenarios both providers are loaded with (autocannon, one request shape each). */
import { BENCH_API } from './fixture.js';
import { basic, form, type LoadRequest } from './harness.js';

export interface Scenario {
  name: string;
  /** `token`: an access token of the bench service client (introspection). */
  request(tokens: { service: string; user?: string }): LoadRequest;
}

export const CLIENT_CREDENTIALS: Scenario = {
  name: 'client_credentials (opaque)',
  request: () => ({ method: 'POST', path: '/token', body: 'grant_type=client_credentials', headers: { authorization: basic, 'content-type': form } }),
};

export const CLIENT_CREDENTIALS_JWT: Scenario = {
  name: 'client_credentials (JWT, RFC 9068)',
  request: () => ({
    method: 'POST',
    path: '/token',
    body: `grant_type=client_credentials&resource=${encodeURIComponent(BENCH_API.identifier)}&scope=bench%3Aread`,
    headers: { authorization: basic, 'content-type': form },
  }),
};

export const INTROSPECTION: Scenario = {
  name: 'introspection',
  // With the hint, as resource servers send it (RFC 7662 §2.1): the token is looked up where access tokens live.
  request: (tokens) => ({
    method: 'POST',
    path: '/token/introspection',
    body: `token=${tokens.service}&token_type_hint=access_token`,
    headers: { authorization: basic, 'content-type': form },
  }),
};

export const USERINFO: Scenario = {
  name: 'userinfo',
  request: (tokens) => ({ path: '/me', headers: { authorization: `Bearer ${tokens.user}` } }),
};

export const DISCOVERY: Scenario = { name: 'discovery', request: () => ({ path: '/.well-known/openid-configuration' }) };
export const JWKS: Scenario = { name: 'jwks', request: () => ({ path: '/jwks' }) };
