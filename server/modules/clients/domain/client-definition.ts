/**
 * A client as an operator declares it (seed file, later the admin API), in OAuth 2.0 Dynamic
 * Client Registration metadata names (RFC 7591) plus our extensions: `web_origins` (origins
 * allowed to call the token, userinfo, revocation and introspection endpoints from a browser)
 * and `first_party` (consent may be skipped). oidc-provider validates the metadata again when it
 * loads the client; this schema catches mistakes early with a message naming the field.
 */
import { z } from 'zod';
import { highSecurityFields, highSecurityIssues } from './high-security-metadata.js';

const absoluteUri = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return !url.hash && !value.includes('*');
  } catch {
    return false;
  }
}, 'must be an absolute URI without fragment or wildcard (redirect URIs are matched exactly)');

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be an origin: scheme://host[:port] with no path or trailing slash');

/** RFC 8628 and RFC 8693 grant type URIs. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';

const scopeToken = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope token');

/**
 * What this client may obtain by token exchange (RFC 8693): tokens issued to which clients (or
 * by which trusted issuers) it may present as subject_token, which APIs (`resource`/`audience`)
 * it may ask for, which scopes, and whether it may impersonate (no actor) or act on behalf of
 * the subject (delegation: the actor is recorded in `act`). Nothing is allowed unless listed.
 */
export const tokenExchangePolicySchema = z
  .object({
    subject_clients: z.array(z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be client ids')).default([]),
    subject_issuers: z.array(absoluteUri).default([]),
    audiences: z.array(absoluteUri).default([]),
    scopes: z.array(scopeToken).default([]),
    impersonation: z.boolean().default(false),
    delegation: z.boolean().default(false),
  })
  .strict()
  .refine((policy) => policy.subject_clients.length > 0 || policy.subject_issuers.length > 0, {
    message: 'name at least one of subject_clients or subject_issuers',
    path: ['subject_clients'],
  })
  .refine((policy) => policy.impersonation || policy.delegation, { message: 'allow impersonation, delegation or both', path: ['delegation'] });

export type TokenExchangePolicy = z.output<typeof tokenExchangePolicySchema>;

const httpUri = absoluteUri.refine((value) => /^https?:/.test(value), 'must be an http(s) URI');

export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth', 'none'] as const;

const clientFields = z
  .object({
    client_id: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'must be 1-128 URL-safe characters'),
    client_name: z.string().min(1).max(200).optional(),
    client_secret: z.string().min(32, 'must be at least 32 characters').optional(),
    client_secret_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name').optional(),
    token_endpoint_auth_method: z.enum(AUTH_METHODS).optional(),
    application_type: z.enum(['web', 'native']).default('web'),
    redirect_uris: z.array(absoluteUri).default([]),
    post_logout_redirect_uris: z.array(absoluteUri).default([]),
    grant_types: z
      .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT, TOKEN_EXCHANGE_GRANT]))
      .min(1)
      .default(['authorization_code', 'refresh_token']),
    response_types: z.array(z.literal('code')).optional(),
    scope: z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'must be space-separated scope tokens').optional(),
    web_origins: z.array(origin).default([]),
    first_party: z.boolean().default(false),
    // API identifier → the scopes of it this client may ask for. An API not listed is refused
    // (invalid_target): clients get API access by explicit grant, never by default.
    resource_scopes: z
      .record(absoluteUri, z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be a scope token')))
      .optional(),
    // Whether every sign-in at this client needs a second factor (users without one enrol TOTP
    // during sign-in). `optional`: only accounts that enrolled, or requests asking acr_values for MFA.
    mfa_policy: z.enum(['optional', 'required']).optional(),
    logo_uri: absoluteUri.optional(),
    client_uri: absoluteUri.optional(),
    policy_uri: absoluteUri.optional(),
    tos_uri: absoluteUri.optional(),
    jwks_uri: absoluteUri.optional(),
    id_token_signed_response_alg: z.enum(['ES256', 'RS256', 'PS256', 'EdDSA']).optional(),
    // PAR, DPoP, JAR, JARM, mTLS, pairwise, encryption, FAPI 2.0 (high-security-metadata.ts).
    ...highSecurityFields,
    // OpenID Connect Back-Channel Logout 1.0: where logout tokens are POSTed when a session ends
    // (delivered through the outbox, the URI checked against the webhook address policy).
    backchannel_logout_uri: httpUri.optional(),
    backchannel_logout_session_required: z.boolean().optional(),
    token_exchange: tokenExchangePolicySchema.optional(),
  })
  .strict();

/** The metadata names a client definition may state (what an export writes back out). */
export const CLIENT_DEFINITION_KEYS: readonly string[] = Object.keys(clientFields.shape);

export const clientDefinitionSchema = clientFields
  .superRefine((client, ctx) => {
    const confidential = client.token_endpoint_auth_method !== 'none';
    if (client.client_secret && client.client_secret_env) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'give client_secret or client_secret_env, not both' });
    }
    if (client.grant_types.includes('authorization_code') && client.redirect_uris.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['redirect_uris'], message: 'required for the authorization_code grant' });
    }
    if (!confidential && client.grant_types.includes('client_credentials')) {
      ctx.addIssue({ code: 'custom', path: ['grant_types'], message: 'client_credentials needs a confidential client' });
    }
    if (client.grant_types.includes(TOKEN_EXCHANGE_GRANT)) {
      if (!confidential) ctx.addIssue({ code: 'custom', path: ['grant_types'], message: 'token exchange needs a confidential client' });
      if (!client.token_exchange) ctx.addIssue({ code: 'custom', path: ['token_exchange'], message: 'required for the token-exchange grant' });
    } else if (client.token_exchange) {
      ctx.addIssue({ code: 'custom', path: ['token_exchange'], message: `only with grant type ${TOKEN_EXCHANGE_GRANT}` });
    }
    if (client.backchannel_logout_session_required !== undefined && !client.backchannel_logout_uri) {
      ctx.addIssue({ code: 'custom', path: ['backchannel_logout_session_required'], message: 'needs backchannel_logout_uri' });
    }
    if (!confidential && (client.client_secret || client.client_secret_env)) {
      ctx.addIssue({ code: 'custom', path: ['client_secret'], message: 'a public client (token_endpoint_auth_method none) has no secret' });
    }
    for (const issue of highSecurityIssues(client)) ctx.addIssue({ code: 'custom', path: issue.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: issue.message });
  })
  // Only the code flow has a response type; a client_credentials-only client has none.
  .transform((client) => ({
    ...client,
    response_types: client.response_types ?? (client.grant_types.includes('authorization_code') ? ['code' as const] : []),
  }));

export type ClientDefinition = z.output<typeof clientDefinitionSchema>;

/** Whether the client authenticates with a shared secret (and so needs one stored). */
export function usesSharedSecret(client: Pick<ClientDefinition, 'token_endpoint_auth_method'>): boolean {
  const method = client.token_endpoint_auth_method ?? 'client_secret_basic';
  return method === 'client_secret_basic' || method === 'client_secret_post' || method === 'client_secret_jwt';
}

/** Origins a browser may call the provider's CORS endpoints from: those of the redirect URIs plus web_origins. */
export function allowedOrigins(client: { redirect_uris?: string[]; web_origins?: string[] }): Set<string> {
  const origins = new Set(client.web_origins ?? []);
  for (const uri of client.redirect_uris ?? []) {
    const parsed = URL.parse(uri);
    if (parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:')) origins.add(parsed.origin);
  }
  return origins;
}
