/** The high-security client metadata rules of the client definition, each naming its field. */
import { describe, expect, it } from 'vitest';
import { clientDefinitionSchema } from '../../server/modules/clients/index.js';

const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k1' };
const web = { client_id: 'web', redirect_uris: ['https://app.example.com/cb'] };

/** Field path → message of every issue, for inputs the schema refuses. */
function problems(input: Record<string, unknown>): Record<string, string> {
  const result = clientDefinitionSchema.safeParse(input);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('high-security client metadata', () => {
  it('private_key_jwt and self_signed_tls_client_auth need keys; jwks must be public', () => {
    expect(problems({ ...web, token_endpoint_auth_method: 'private_key_jwt' })).toHaveProperty('jwks', "private_key_jwt needs the client's public keys: jwks or jwks_uri");
    expect(problems({ ...web, token_endpoint_auth_method: 'self_signed_tls_client_auth' })).toHaveProperty('jwks');
    expect(problems({ ...web, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...jwk, d: 'secret' }] } })).toHaveProperty('jwks.keys.0');
    expect(problems({ ...web, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] }, jwks_uri: 'https://app.example.com/jwks' })).toHaveProperty('jwks', 'give jwks or jwks_uri, not both');
    expect(problems({ ...web, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } })).toEqual({});
  });

  it('tls_client_auth needs exactly one certificate subject field, and only it may have one', () => {
    expect(problems({ ...web, token_endpoint_auth_method: 'tls_client_auth' })).toHaveProperty('tls_client_auth_subject_dn');
    expect(problems({ ...web, token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=a', tls_client_auth_san_dns: 'a.example.com' })).toHaveProperty('tls_client_auth_subject_dn');
    expect(problems({ ...web, tls_client_auth_san_dns: 'a.example.com' })).toHaveProperty('tls_client_auth_san_dns', 'only for token_endpoint_auth_method tls_client_auth');
    expect(problems({ ...web, token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=a' })).toEqual({});
  });

  it('request objects: never none; signing them needs keys; encryption algorithms come in pairs with keys', () => {
    expect(problems({ ...web, request_object_signing_alg: 'none' })).toHaveProperty('request_object_signing_alg', 'must be one of PS256, ES256, EdDSA, RS256 (none is never accepted)');
    expect(problems({ ...web, require_signed_request_object: true })).toHaveProperty('jwks');
    expect(problems({ ...web, id_token_encrypted_response_enc: 'A256GCM' })).toHaveProperty('id_token_encrypted_response_enc', 'needs id_token_encrypted_response_alg');
    expect(problems({ ...web, userinfo_encrypted_response_alg: 'ECDH-ES' })).toHaveProperty('userinfo_encrypted_response_alg');
    expect(problems({ ...web, sector_identifier_uri: 'https://app.example.com/sector' })).toHaveProperty('sector_identifier_uri', 'only with subject_type pairwise');
  });

  it('fapi_profile names every rule a definition misses', () => {
    const found = problems({ ...web, redirect_uris: ['http://app.example.com/cb'], fapi_profile: 'fapi2-security' });
    expect(Object.keys(found).sort()).toEqual(['dpop_bound_access_tokens', 'id_token_signed_response_alg', 'redirect_uris.0', 'require_pushed_authorization_requests', 'token_endpoint_auth_method']);
    const signing = problems({ ...web, fapi_profile: 'fapi2-message-signing', token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'RS256', jwks: { keys: [jwk] }, require_pushed_authorization_requests: true, dpop_bound_access_tokens: true, id_token_signed_response_alg: 'ES256' });
    expect(Object.keys(signing).sort()).toEqual(['authorization_signed_response_alg', 'request_object_signing_alg', 'require_signed_request_object', 'token_endpoint_auth_signing_alg']);
    expect(problems({ ...web, fapi_profile: 'fapi2-security', token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: 'CN=a', tls_client_certificate_bound_access_tokens: true, require_pushed_authorization_requests: true, id_token_signed_response_alg: 'PS256' })).toEqual({});
  });
});
