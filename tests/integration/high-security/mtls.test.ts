/**
 * Mutual TLS behind a TLS-terminating proxy (RFC 8705): the test plays the proxy, forwarding the
 * client certificate URL-encoded in MTLS_CERTIFICATE_HEADER and its verdict in the verified
 * header. tls_client_auth (subject DN) and self_signed_tls_client_auth (registered certificate)
 * authenticate with openid-client; tokens are bound to the certificate (cnf.x5t#S256) and userinfo
 * refuses a bound token presented without it. Refused: an unverified certificate, another
 * subject, an unregistered self-signed certificate.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { API, defaultSeed, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { alice, postForm } from '../protocol/support.js';

const pem = (name: string) => readFileSync(new URL(`../../fixtures/mtls/${name}.pem`, import.meta.url), 'utf8');
const PKI = pem('pki');
const OTHER = pem('other');
const thumbprint = (cert: string) => createHash('sha256').update(new X509Certificate(cert).raw).digest('base64url');
const REDIRECT = 'http://127.0.0.1:9999/mtls-cb';
let op: TestProvider;

/** What the proxy adds: the certificate ($ssl_client_escaped_cert) and whether it verified it. */
const proxied = (cert: string | undefined, verified = 'SUCCESS'): Record<string, string> => (cert ? { 'x-client-cert': encodeURIComponent(cert), 'x-ssl-client-verify': verified } : {});

beforeAll(async () => {
  const self = new X509Certificate(PKI);
  const selfJwk = { ...(self.publicKey.export({ format: 'jwk' }) as Record<string, unknown>), x5c: [self.raw.toString('base64')] };
  const seed = defaultSeed();
  (seed.clients as unknown[]).push(
    {
      client_id: 'mtls-pki',
      token_endpoint_auth_method: 'tls_client_auth',
      tls_client_auth_subject_dn: 'CN=mtls-pki,O=Example Corp',
      tls_client_certificate_bound_access_tokens: true,
      grant_types: ['authorization_code', 'client_credentials'],
      redirect_uris: [REDIRECT],
      scope: 'openid email',
      resource_scopes: { [API.identifier]: API.scopes },
    },
    {
      client_id: 'mtls-self',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      jwks: { keys: [selfJwk] },
      tls_client_certificate_bound_access_tokens: true,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      resource_scopes: { [API.identifier]: API.scopes },
    },
  );
  op = await startTestProvider({ seed, env: { TRUST_PROXY: 'true', MTLS_CERTIFICATE_HEADER: 'X-Client-Cert' } });
});
afterAll(async () => {
  await op?.stop();
});

/** openid-client behind the proxy: every request it makes carries the proxy's headers. */
function mtlsClient(clientId: string, cert: string) {
  return client.discovery(new URL(op.issuer), clientId, {}, client.TlsClientAuth(), {
    execute: [client.allowInsecureRequests],
    [client.customFetch]: (url: string, options: client.CustomFetchOptions) => fetch(url, { ...options, headers: { ...(options.headers as Record<string, string>), ...proxied(cert) } } as RequestInit),
  });
}

const ccToken = (clientId: string, headers: Record<string, string>) => postForm(`${op.issuer}/token`, { grant_type: 'client_credentials', client_id: clientId, resource: API.identifier, scope: 'orders:read' }, headers);

describe('mutual TLS client authentication and certificate-bound tokens', () => {
  it('tls_client_auth: the subject DN authenticates; the JWT access token is bound to the certificate', async () => {
    const config = await mtlsClient('mtls-pki', PKI);
    const tokens = await client.clientCredentialsGrant(config, { resource: API.identifier, scope: 'orders:read' });
    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.cnf).toEqual({ 'x5t#S256': thumbprint(PKI) });
  });

  it('tls_client_auth is refused an unverified certificate, a certificate of another subject, no certificate', async () => {
    for (const headers of [proxied(PKI, 'FAILED:unable to verify'), proxied(OTHER), {}]) {
      const { status, body } = await ccToken('mtls-pki', headers);
      expect(status).toBe(401);
      expect(body.error).toBe('invalid_client');
    }
  });

  it('self_signed_tls_client_auth: the registered certificate authenticates, another does not', async () => {
    const config = await mtlsClient('mtls-self', PKI);
    expect((await client.clientCredentialsGrant(config, { resource: API.identifier, scope: 'orders:read' })).access_token).toBeTruthy();
    const { status, body } = await ccToken('mtls-self', proxied(OTHER));
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('a bound token works at userinfo with its certificate only', async () => {
    const config = await mtlsClient('mtls-pki', PKI);
    const request = await authorizationRequest(config, { redirect_uri: REDIRECT, scope: 'openid email' });
    const { callback } = await authorize(new UserAgent(op.issuer), request.url, alice);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    const me = (headers: Record<string, string>) => fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}`, ...headers } });
    expect((await me(proxied(PKI))).status).toBe(200);
    for (const headers of [{}, proxied(OTHER)]) {
      const response = await me(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/invalid_token/);
    }
  });

  it('discovery advertises the mTLS methods and bound tokens', async () => {
    const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['tls_client_auth', 'self_signed_tls_client_auth']));
    expect(metadata.tls_client_certificate_bound_access_tokens).toBe(true);
  });
});
