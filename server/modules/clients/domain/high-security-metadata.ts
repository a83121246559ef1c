/**
 * Client metadata for high-security clients (docs/high-security-clients.md), in their RFC names:
 * keys (RFC 7591 jwks / jwks_uri), PAR (RFC 9126), DPoP (RFC 9449), signed request objects
 * (RFC 9101), JARM, mTLS (RFC 8705), pairwise subjects, JWE and signed responses; and
 * `fapi_profile`, which holds a client to the FAPI 2.0 Security Profile (§5.3.2) and optionally
 * Message Signing. The rules here give a message naming the field; oidc-provider checks the
 * metadata again when it loads the client and enforces it per request.
 */
import { z } from 'zod';

/** Asymmetric algorithms FAPI 2.0 §5.4 allows. */
export const FAPI_ALGS = ['PS256', 'ES256', 'EdDSA'] as const;
const SIGNING_ALGS = ['PS256', 'ES256', 'EdDSA', 'RS256'] as const;
const KEY_ENCRYPTION_ALGS = ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as const;
const CONTENT_ENCRYPTION = ['A128GCM', 'A256GCM', 'A128CBC-HS256', 'A256CBC-HS512'] as const;
export const FAPI_PROFILES = ['fapi2-security', 'fapi2-message-signing'] as const;
/** Members of a private or symmetric JWK: a client registers public keys only. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

const https = z.string().refine((value) => URL.parse(value)?.protocol === 'https:', 'must be an https URL');
const jwk = z.looseObject({ kty: z.enum(['RSA', 'EC', 'OKP']), kid: z.string().max(256).optional() }).refine(
  (key) => !PRIVATE_JWK_MEMBERS.some((member) => member in key),
  'must be a public key: private key members (d, p, q, k…) are refused',
);

export const highSecurityFields = {
  jwks: z.object({ keys: z.array(jwk).min(1).max(20) }).strict().optional(),
  token_endpoint_auth_signing_alg: z.enum([...SIGNING_ALGS, 'HS256']).optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  dpop_bound_access_tokens: z.boolean().optional(),
  require_signed_request_object: z.boolean().optional(),
  request_object_signing_alg: z.enum(SIGNING_ALGS, { error: `must be one of ${SIGNING_ALGS.join(', ')} (none is never accepted)` }).optional(),
  authorization_signed_response_alg: z.enum(SIGNING_ALGS).optional(),
  authorization_encrypted_response_alg: z.enum(KEY_ENCRYPTION_ALGS).optional(),
  authorization_encrypted_response_enc: z.enum(CONTENT_ENCRYPTION).optional(),
  tls_client_auth_subject_dn: z.string().min(1).max(1024).optional(),
  tls_client_auth_san_dns: z.string().min(1).max(255).optional(),
  tls_client_auth_san_uri: z.string().min(1).max(1024).optional(),
  tls_client_auth_san_ip: z.string().min(1).max(64).optional(),
  tls_client_auth_san_email: z.string().min(1).max(320).optional(),
  tls_client_certificate_bound_access_tokens: z.boolean().optional(),
  subject_type: z.enum(['public', 'pairwise']).optional(),
  sector_identifier_uri: https.optional(),
  id_token_encrypted_response_alg: z.enum(KEY_ENCRYPTION_ALGS).optional(),
  id_token_encrypted_response_enc: z.enum(CONTENT_ENCRYPTION).optional(),
  userinfo_signed_response_alg: z.enum(SIGNING_ALGS).optional(),
  userinfo_encrypted_response_alg: z.enum(KEY_ENCRYPTION_ALGS).optional(),
  userinfo_encrypted_response_enc: z.enum(CONTENT_ENCRYPTION).optional(),
  introspection_signed_response_alg: z.enum(SIGNING_ALGS).optional(),
  introspection_encrypted_response_alg: z.enum(KEY_ENCRYPTION_ALGS).optional(),
  introspection_encrypted_response_enc: z.enum(CONTENT_ENCRYPTION).optional(),
  // FAPI 2.0 Security Profile, or with Message Signing (signed request objects and JARM as well).
  fapi_profile: z.enum(FAPI_PROFILES).optional(),
};

const TLS_SUBJECT_FIELDS = ['tls_client_auth_subject_dn', 'tls_client_auth_san_dns', 'tls_client_auth_san_uri', 'tls_client_auth_san_ip', 'tls_client_auth_san_email'] as const;
const ENCRYPTED = ['id_token', 'userinfo', 'introspection', 'authorization'] as const;

/** What the rules read of a definition (its other fields are the base client definition's). */
export type HighSecurityClient = { [K in keyof typeof highSecurityFields]?: z.output<(typeof highSecurityFields)[K]> } & {
  token_endpoint_auth_method?: string | undefined;
  jwks_uri?: string | undefined;
  redirect_uris: string[];
  grant_types: string[];
  response_types?: string[] | undefined;
  id_token_signed_response_alg?: string | undefined;
};

export interface MetadataIssue {
  path: string;
  message: string;
}

/** The FAPI 2.0 rules (Security Profile §5.3.2, §5.4; Message Signing §5.3, §5.4), each naming its field. */
function fapiIssues(client: HighSecurityClient): MetadataIssue[] {
  if (!client.fapi_profile) return [];
  const issues: MetadataIssue[] = [];
  const profile = client.fapi_profile;
  const add = (path: string, message: string) => issues.push({ path, message: `${message} (${profile})` });
  if (client.require_pushed_authorization_requests !== true) add('require_pushed_authorization_requests', 'must be true: authorization requests are pushed');
  const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
  if (!['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'].includes(method)) {
    add('token_endpoint_auth_method', 'must be private_key_jwt, tls_client_auth or self_signed_tls_client_auth');
  }
  if (client.dpop_bound_access_tokens !== true && client.tls_client_certificate_bound_access_tokens !== true) {
    add('dpop_bound_access_tokens', 'sender-constrained tokens are required: set dpop_bound_access_tokens or tls_client_certificate_bound_access_tokens to true');
  }
  const fapiAlg = (path: keyof HighSecurityClient, required: boolean) => {
    const value = client[path] as string | undefined;
    if (value === undefined ? required : !(FAPI_ALGS as readonly string[]).includes(value)) add(path, `must be one of ${FAPI_ALGS.join(', ')}`);
  };
  fapiAlg('id_token_signed_response_alg', true);
  if (method === 'private_key_jwt') fapiAlg('token_endpoint_auth_signing_alg', true);
  if (client.grant_types.some((grant) => grant !== 'authorization_code' && grant !== 'refresh_token' && grant !== 'client_credentials')) {
    add('grant_types', 'must be authorization_code, refresh_token or client_credentials');
  }
  if (client.response_types?.some((type) => type !== 'code')) add('response_types', 'must be code');
  client.redirect_uris.forEach((uri, index) => {
    if (URL.parse(uri)?.protocol !== 'https:') add(`redirect_uris.${index}`, 'must be an https URL');
  });
  if (profile === 'fapi2-message-signing') {
    if (client.require_signed_request_object !== true) add('require_signed_request_object', 'must be true: authorization requests are signed');
    fapiAlg('request_object_signing_alg', true);
    fapiAlg('authorization_signed_response_alg', true);
  }
  return issues;
}

/**
 * Problems with a definition's high-security metadata: keys the chosen methods need, one
 * certificate subject for tls_client_auth, encryption algorithms in pairs, the FAPI profile.
 */
export function highSecurityIssues(client: HighSecurityClient): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
  const hasKeys = client.jwks !== undefined || client.jwks_uri !== undefined;
  if (client.jwks && client.jwks_uri) issues.push({ path: 'jwks', message: 'give jwks or jwks_uri, not both' });
  if ((method === 'private_key_jwt' || method === 'self_signed_tls_client_auth') && !hasKeys) {
    issues.push({ path: 'jwks', message: `${method} needs the client's public keys: jwks or jwks_uri` });
  }
  const subjects = TLS_SUBJECT_FIELDS.filter((field) => client[field] !== undefined);
  if (method === 'tls_client_auth' && subjects.length !== 1) {
    issues.push({ path: 'tls_client_auth_subject_dn', message: `tls_client_auth needs exactly one of ${TLS_SUBJECT_FIELDS.join(', ')}` });
  }
  if (method !== 'tls_client_auth') for (const field of subjects) issues.push({ path: field, message: 'only for token_endpoint_auth_method tls_client_auth' });
  if (client.require_signed_request_object && !hasKeys) issues.push({ path: 'jwks', message: 'require_signed_request_object needs the keys request objects are verified with: jwks or jwks_uri' });
  for (const what of ENCRYPTED) {
    const alg = client[`${what}_encrypted_response_alg`];
    if (client[`${what}_encrypted_response_enc`] !== undefined && alg === undefined) {
      issues.push({ path: `${what}_encrypted_response_enc`, message: `needs ${what}_encrypted_response_alg` });
    }
    if (alg !== undefined && !hasKeys) issues.push({ path: `${what}_encrypted_response_alg`, message: 'needs the client encryption key: jwks or jwks_uri' });
  }
  if (client.sector_identifier_uri && client.subject_type !== 'pairwise') issues.push({ path: 'sector_identifier_uri', message: 'only with subject_type pairwise' });
  return [...issues, ...fapiIssues(client)];
}
