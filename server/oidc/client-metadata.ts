/**
 * Our client metadata extensions (web_origins, first_party, resource_scopes, mfa_policy; see
 * clients/domain/client-definition.ts) and the policy for clients that register themselves
 * (RFC 7591) or update their registration (RFC 7592):
 * - no privileged metadata: API access (resource_scopes), skipping consent (first_party), CORS
 *   origins beyond the redirect URIs (web_origins) are granted by an operator, never self-asserted;
 * - no URIs the provider would fetch at registration or token time (jwks_uri,
 *   sector_identifier_uri, request_uris): a registrant must not make us call into our network;
 * - the code flow only: grant types authorization_code and refresh_token;
 * - in production, redirect URIs are https, except a native app's loopback http or private-use
 *   scheme (RFC 8252 §7.1, §7.3).
 * PKCE and exact redirect URI matching hold for every client (provider.ts).
 */
import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { CLIENT_MFA_POLICIES } from '../modules/auth/index.js';
import { isWellFormed } from '../shared/unicode.js';
import { FAPI_PROFILES, highSecurityIssues, type HighSecurityClient } from '../modules/clients/index.js';

export const EXTRA_CLIENT_METADATA = ['web_origins', 'first_party', 'resource_scopes', 'mfa_policy', 'token_exchange', 'fapi_profile'];

/** Metadata a self-registered client may not state. */
export const PRIVILEGED_METADATA = ['resource_scopes', 'first_party', 'web_origins', 'jwks_uri', 'sector_identifier_uri', 'request_uris', 'token_exchange', 'backchannel_logout_uri'] as const;
const DYNAMIC_GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);
const REGISTRATION_ROUTES = new Set(['registration', 'client_update']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

type ExtraClientMetadata = NonNullable<Configuration['extraClientMetadata']>;

function invalid(description: string): Error {
  return new errors.InvalidClientMetadata(description);
}

function invalidRedirect(description: string): Error {
  const error = new errors.InvalidRedirectUri();
  error.error_description = description;
  return error;
}

/** RFC 8252: https, or for a native app loopback http or a private-use (reverse-DNS) scheme. */
function acceptableInProduction(uri: string, native: boolean): boolean {
  const url = URL.parse(uri);
  if (!url) return false;
  if (url.protocol === 'https:') return true;
  if (!native) return false;
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname) && url.hostname !== 'localhost';
  return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol);
}

/** @throws InvalidClientMetadata unless `value` is absent or an array of strings (RFC 7591 §2). */
function stringArray(value: unknown, key: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw invalid(`${key} must be an array of strings`);
  return value;
}

/**
 * @throws InvalidClientMetadata naming the first field holding text the database cannot store
 * (NUL, a lone surrogate), at any depth: such a client could never be saved, so it is refused
 * as metadata (RFC 7591 §3.2.2) rather than failing the write.
 */
function checkStorableText(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (!isWellFormed(value)) throw invalid(`${path} must be well-formed text without NUL characters`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkStorableText(item, `${path}[${index}]`));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (!isWellFormed(key)) throw invalid(`${path} has a key that is not well-formed text`);
      checkStorableText(item, path ? `${path}.${key}` : key);
    }
  }
}

/** @throws InvalidClientMetadata / InvalidRedirectUri naming what the registration may not state. */
function checkSelfRegistered(metadata: Record<string, unknown>, production: boolean): void {
  for (const key of PRIVILEGED_METADATA) {
    if (metadata[key] !== undefined) throw invalid(`${key} cannot be registered dynamically; ask an administrator`);
  }
  const grants = stringArray(metadata.grant_types, 'grant_types');
  const refused = grants.filter((grant) => !DYNAMIC_GRANT_TYPES.has(grant));
  if (refused.length) throw invalid(`grant_types ${refused.join(', ')} cannot be registered dynamically`);
  if (!production) return;
  const native = metadata.application_type === 'native';
  for (const key of ['redirect_uris', 'post_logout_redirect_uris']) {
    for (const uri of (metadata[key] as string[] | undefined) ?? []) {
      if (!acceptableInProduction(uri, native)) {
        throw invalidRedirect(`${key} must use https${native ? ', loopback http or a private-use scheme' : ''}: ${uri}`);
      }
    }
  }
}

/** @throws InvalidClientMetadata naming the first field a self-registered high-security client gets wrong (FAPI 2.0 included). */
function checkHighSecurity(metadata: Record<string, unknown>): void {
  const client = { ...metadata, redirect_uris: stringArray(metadata.redirect_uris, 'redirect_uris'), grant_types: stringArray(metadata.grant_types, 'grant_types') } as HighSecurityClient;
  const [issue] = highSecurityIssues(client);
  if (issue) throw invalid(`${issue.path} ${issue.message}`);
}

/** oidc-provider's `extraClientMetadata`: our properties, validated for every client; the policy for self-registered ones. */
export function extraClientMetadata(options: { production: boolean }): ExtraClientMetadata {
  return {
    properties: EXTRA_CLIENT_METADATA,
    validator(ctx: KoaContextWithOIDC | undefined, key, value, metadata) {
      // Once per client (the validator runs for each extra property): storable text, and the registration policy.
      if (key === EXTRA_CLIENT_METADATA[0]) {
        checkStorableText(metadata, '');
        if (ctx?.oidc && REGISTRATION_ROUTES.has(ctx.oidc.route)) {
          checkSelfRegistered(metadata as Record<string, unknown>, options.production);
          checkHighSecurity(metadata as Record<string, unknown>);
        }
      }
      // The FAPI 2.0 profile a client is held to (high-security-metadata.ts); seed and admin API check it with the definition schema.
      if (key === 'fapi_profile' && value !== undefined && !(FAPI_PROFILES as readonly unknown[]).includes(value)) {
        throw invalid(`fapi_profile must be one of ${FAPI_PROFILES.join(', ')}`);
      }
      if (key === 'web_origins' && value !== undefined) {
        if (!Array.isArray(value) || !value.every((o) => typeof o === 'string' && URL.parse(o)?.origin === o)) {
          throw invalid('web_origins must be an array of origins');
        }
      }
      if (key === 'first_party' && value !== undefined && typeof value !== 'boolean') {
        throw invalid('first_party must be a boolean');
      }
      if (key === 'resource_scopes' && value !== undefined) {
        const valid = typeof value === 'object' && value !== null && !Array.isArray(value)
          && Object.values(value).every((scopes) => Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'));
        if (!valid) throw invalid('resource_scopes must map API identifiers to arrays of scopes');
      }
      // A client may ask for stricter sign-in for its users (even when self-registered); never weaker than the global switch.
      if (key === 'mfa_policy' && value !== undefined && !(CLIENT_MFA_POLICIES as readonly unknown[]).includes(value)) {
        throw invalid('mfa_policy must be optional or required');
      }
    },
  };
}
