/**
 * Client authentication at the token endpoint (RFC 6749 §2.3, RFC 7523, OIDC Core §9) with
 * openid-client as the client: private_key_jwt with keys by value and by jwks_uri (fetched under
 * the webhook address policy), client_secret_post and client_secret_jwt. Refused: a replayed
 * assertion (same jti), an assertion for another audience, one signed with an unregistered key,
 * a jwks_uri on a link-local address, and a secret sent in the body by a client_secret_basic
 * client (one client, one method).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, defaultSeed, SERVICE_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client } from '../../helpers/rp.js';
import { postForm } from '../protocol/support.js';
import { ASSERTION_TYPE, clientAssertion, clientKey, rp, startDocumentServer, type ClientKey, type DocumentServer } from './support.js';

const SECRET = 'a-shared-secret-that-is-long-enough-0123456789';
let op: TestProvider;
let docs: DocumentServer;
let key: ClientKey;
let uriKey: ClientKey;
let stranger: ClientKey;

const service = (client_id: string, extra: Record<string, unknown>) => ({ client_id, grant_types: ['client_credentials'], redirect_uris: [], resource_scopes: { [API.identifier]: API.scopes }, ...extra });

beforeAll(async () => {
  [key, uriKey, stranger] = await Promise.all([clientKey('ES256'), clientKey('PS256'), clientKey('ES256')]);
  docs = await startDocumentServer();
  docs.serve('/jwks', { keys: [uriKey.jwk] });
  const seed = defaultSeed();
  (seed.clients as unknown[]).push(
    service('pk-jwt', { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [key.jwk] } }),
    service('pk-jwt-uri', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: `${docs.origin}/jwks` }),
    service('pk-jwt-metadata', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://169.254.169.254/latest/jwks' }),
    service('secret-post', { token_endpoint_auth_method: 'client_secret_post', client_secret: SECRET }),
    service('secret-jwt', { token_endpoint_auth_method: 'client_secret_jwt', client_secret: SECRET }),
  );
  // Loopback is re-opened for the local jwks_uri server only; link-local stays refused.
  op = await startTestProvider({ seed, env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } });
});
afterAll(async () => {
  await op?.stop();
  await docs?.close();
});

const token = (fields: Record<string, string>, headers: Record<string, string> = {}) => postForm(`${op.issuer}/token`, { grant_type: 'client_credentials', ...fields }, headers);

describe('client authentication methods', () => {
  it('private_key_jwt with registered keys (jwks) gets a token from openid-client', async () => {
    const config = await rp(op.issuer, 'pk-jwt', client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }));
    const tokens = await client.clientCredentialsGrant(config, { resource: API.identifier, scope: 'orders:read' });
    expect(tokens.access_token).toBeTruthy();
  });

  it('private_key_jwt with jwks_uri: the keys are fetched from the client', async () => {
    const config = await rp(op.issuer, 'pk-jwt-uri', client.PrivateKeyJwt({ key: uriKey.privateKey, kid: uriKey.kid }));
    const tokens = await client.clientCredentialsGrant(config, { resource: API.identifier, scope: 'orders:read' });
    expect(tokens.access_token).toBeTruthy();
    expect(docs.hits).toContain('/jwks');
  });

  it('a jwks_uri on a link-local address is never fetched: the client cannot authenticate', async () => {
    const assertion = await clientAssertion(key, 'pk-jwt-metadata', op.issuer);
    const { status, body } = await token({ client_id: 'pk-jwt-metadata', client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('a replayed assertion (same jti) is refused', async () => {
    const assertion = await clientAssertion(key, 'pk-jwt', op.issuer);
    const fields = { client_assertion_type: ASSERTION_TYPE, client_assertion: assertion };
    expect((await token(fields)).status).toBe(200);
    const replay = await token(fields);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: 'invalid_client' });
  });

  it('an assertion for another audience is refused', async () => {
    const assertion = await clientAssertion(key, 'pk-jwt', 'https://other-server.example.com');
    const { status, body } = await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('an assertion signed with a key the client did not register is refused', async () => {
    const assertion = await clientAssertion(stranger, 'pk-jwt', op.issuer);
    const { status, body } = await token({ client_assertion_type: ASSERTION_TYPE, client_assertion: assertion });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('client_secret_post and client_secret_jwt clients authenticate with their method', async () => {
    for (const [id, auth] of [['secret-post', client.ClientSecretPost(SECRET)], ['secret-jwt', client.ClientSecretJwt(SECRET)]] as const) {
      const config = await rp(op.issuer, id, auth);
      expect((await client.clientCredentialsGrant(config, { resource: API.identifier, scope: 'orders:read' })).access_token).toBeTruthy();
    }
  });

  it('one client, one method: a client_secret_basic client sending its secret in the body is refused', async () => {
    const { status, body } = await token({ client_id: SERVICE_CLIENT.client_id, client_secret: SERVICE_CLIENT.client_secret });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    // And a client_secret_post client may not switch to Basic.
    const basic = `Basic ${Buffer.from(`secret-post:${SECRET}`).toString('base64')}`;
    expect((await token({}, { authorization: basic })).body.error).toBe('invalid_client');
  });

  it('discovery lists the methods and no none-signed or symmetric request objects', async () => {
    const response = await fetch(`${op.issuer}/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, string[]>;
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']);
    expect(metadata.request_object_signing_alg_values_supported).toEqual(['PS256', 'ES256', 'EdDSA']);
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).not.toContain('none');
  });
});
