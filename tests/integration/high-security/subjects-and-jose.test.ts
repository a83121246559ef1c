/**
 * Pairwise subjects (OIDC Core §8.1; the sector is the redirect URIs' host), encrypted ID tokens (JWE, decrypted by openid-client), signed userinfo (verified by
 * openid-client) and JWT introspection responses (RFC 9701) for a resource server that asks.
 * Refused: a sector_identifier_uri on a link-local address (the fetch guard refuses it before any
 * connection; oidc-provider requires https for it, so a local document server cannot stand in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AdminApiClient, adminTokenFor } from '../../helpers/admin-api.js';
import { UserAgent } from '../../helpers/browser.js';
import { startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client } from '../../helpers/rp.js';
import { adminSeed, AUDIENCE, SECRET } from '../admin/context.js';
import { basic, postForm, signIn, webClient } from '../protocol/support.js';
import { clientKey, rp, type ClientKey } from './support.js';

const PAIRWISE = { client_id: 'pairwise-web', client_secret: 'pairwise-web-secret-that-is-long-enough-012', redirect_uri: 'http://127.0.0.1:9999/pairwise-cb' };
const JOSE = { client_id: 'jose-web', client_secret: 'jose-web-secret-that-is-long-enough-0123456', redirect_uri: 'http://127.0.0.1:9999/jose-cb' };
let op: TestProvider;
let encryption: ClientKey;

beforeAll(async () => {
  encryption = await clientKey('ECDH-ES' as never, 'enc');
  const seed = adminSeed() as { clients: unknown[] };
  seed.clients.push(
    { ...PAIRWISE, redirect_uri: undefined, redirect_uris: [PAIRWISE.redirect_uri], scope: 'openid email', subject_type: 'pairwise' },
    {
      client_id: JOSE.client_id,
      client_secret: JOSE.client_secret,
      redirect_uris: [JOSE.redirect_uri],
      scope: 'openid email',
      jwks: { keys: [{ ...encryption.jwk, alg: 'ECDH-ES' }] },
      id_token_encrypted_response_alg: 'ECDH-ES',
      id_token_encrypted_response_enc: 'A256GCM',
      userinfo_signed_response_alg: 'ES256',
      introspection_signed_response_alg: 'ES256',
    },
  );
  op = await startTestProvider({
    seed: JSON.parse(JSON.stringify(seed)) as Record<string, unknown>,
    env: { ADMIN_API_AUDIENCE: AUDIENCE, KEY_ROTATION_OVERLAP: '7200', PAIRWISE_SECRET: 'pairwise-secret-for-tests-0123456789abcdef', WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' },
  });
});
afterAll(async () => {
  await op?.stop();
});

describe('pairwise subjects', () => {
  it('the same user gets a stable pairwise sub at the sector, unlike the public sub', async () => {
    const config = await rp(op.issuer, PAIRWISE.client_id, client.ClientSecretBasic(PAIRWISE.client_secret));
    const agent = new UserAgent(op.issuer);
    const first = await signIn(op, config, { redirectUri: PAIRWISE.redirect_uri, agent });
    const second = await signIn(op, config, { redirectUri: PAIRWISE.redirect_uri, agent });
    const pairwiseSub = first.tokens.claims()!.sub;
    expect(second.tokens.claims()!.sub).toBe(pairwiseSub);
    const publicSub = (await signIn(op, await webClient(op))).tokens.claims()!.sub;
    expect(pairwiseSub).not.toBe(publicSub);
    const metadata = (await (await fetch(`${op.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.subject_types_supported).toEqual(['public', 'pairwise']);
  });

  it('a sector_identifier_uri on a link-local address is refused (admin API)', async () => {
    const api = await AdminApiClient.open(op.issuer);
    const token = await adminTokenFor(op.issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
    const refused = await api.call('POST', '/clients', { token, body: { client_id: 'sector-test', redirect_uris: [PAIRWISE.redirect_uri], subject_type: 'pairwise', sector_identifier_uri: 'https://169.254.169.254/latest/sector' } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.errors)).toMatch(/sector_identifier_uri/);
  });
});

describe('encrypted and signed responses', () => {
  it('an encrypted ID token (ECDH-ES, A256GCM) that openid-client decrypts; signed userinfo it verifies', async () => {
    const config = await rp(op.issuer, JOSE.client_id, client.ClientSecretBasic(JOSE.client_secret), { id_token_encrypted_response_alg: 'ECDH-ES', userinfo_signed_response_alg: 'ES256' });
    client.enableDecryptingResponses(config, ['A256GCM'], { key: encryption.privateKey, alg: 'ECDH-ES', kid: encryption.kid } as never);
    const { tokens } = await signIn(op, config, { redirectUri: JOSE.redirect_uri });
    expect(tokens.id_token!.split('.')).toHaveLength(5);
    const sub = tokens.claims()!.sub;
    const me = await fetch(`${op.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.headers.get('content-type')).toMatch(/^application\/jwt/);
    expect((await client.fetchUserInfo(config, tokens.access_token, sub)).sub).toBe(sub);
  });

  it('JWT introspection (RFC 9701) for a client that asks with the accept header', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { redirectUri: WEB_CLIENT.redirect_uri });
    const response = await fetch(`${op.issuer}/token/introspection`, {
      method: 'POST',
      headers: { authorization: basic(JOSE.client_id, JOSE.client_secret), accept: 'application/token-introspection+jwt', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.access_token }).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/token-introspection\+jwt/);
    const { payload, protectedHeader } = await jwtVerify(await response.text(), createRemoteJWKSet(new URL(`${op.issuer}/jwks`)), { issuer: op.issuer, audience: JOSE.client_id });
    expect(protectedHeader.typ).toBe('token-introspection+jwt');
    expect(payload.token_introspection).toMatchObject({ active: true, client_id: WEB_CLIENT.client_id });
    // Without the header the same client gets plain JSON.
    expect((await postForm(`${op.issuer}/token/introspection`, { token: tokens.access_token }, { authorization: basic(JOSE.client_id, JOSE.client_secret) })).body.active).toBe(true);
  });
});
