/** Token and session lifetimes, token endpoint limits, and the names of our custom claims. */
import { z } from 'zod';
import { positiveInt, seconds } from './kinds.js';
import { setting } from './setting.js';

/**
 * Claims a custom claim name must not shadow: JWT registered claims, the ones oidc-provider
 * sets, and the OpenID Connect standard claims.
 */
const RESERVED_CLAIMS = new Set([
  'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'scope', 'client_id', 'azp', 'nonce', 'acr', 'amr', 'auth_time', 'sid',
  'at_hash', 'c_hash', 's_hash', 'cnf', 'typ', 'act', 'may_act', 'events', 'txn', 'claims', 'updated_at',
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
  'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address',
]);

const claimName = z
  .string()
  .regex(/^[A-Za-z0-9_.:/~-]{1,200}$/, 'must be 1-200 letters, digits or _ . : / ~ - (a short name or a URI)')
  .refine((name) => !RESERVED_CLAIMS.has(name), 'must not be a registered JWT or OpenID Connect claim name');

export const tokens = z.object({
  ACCESS_TOKEN_TTL: setting(seconds, '3600', 'Access token lifetime (s) unless the API sets its own.'),
  CLIENT_CREDENTIALS_TTL: setting(seconds, '600', 'Client credentials access token lifetime (s) unless the API sets its own.'),
  ID_TOKEN_TTL: setting(seconds, '3600', 'ID token lifetime (s).'),
  AUTHORIZATION_CODE_TTL: setting(seconds, '60', 'Authorization code lifetime (s); RFC 9700 asks for short-lived codes.'),
  REFRESH_TOKEN_TTL: setting(seconds, '1209600', 'Refresh token lifetime (s); each rotation issues a new one.'),
  // 5 s covers two tabs refreshing together and a client retrying after a lost response, yet keeps
  // the time a copied, just-rotated token is honoured short; 60 s is the ceiling (RFC 9700 §4.14.2
  // wants reuse detected), 0 switches the window off.
  REFRESH_TOKEN_REUSE_WINDOW: setting(
    z.coerce.number({ error: 'must be a number of seconds' }).int().min(0).max(60),
    '5',
    'Seconds after a rotation during which the same client presenting the rotated refresh token again (same DPoP key where bound) gets the same successor tokens instead of the grant being revoked; 0 disables.',
  ),
  SESSION_TTL: setting(seconds, '1209600', 'Browser session lifetime at the provider (s).'),
  GRANT_TTL: setting(seconds, '1209600', 'Lifetime of a consent (Grant) record (s).'),
  INTERACTION_TTL: setting(seconds, '3600', 'Time a user has to finish a login / consent interaction (s).'),
  TOKEN_RATE_LIMIT: setting(
    positiveInt,
    '600',
    'Token endpoint requests allowed per client (public clients: per client and IP) per TOKEN_RATE_LIMIT_WINDOW.',
  ),
  TOKEN_RATE_LIMIT_WINDOW: setting(seconds, '60', 'Window (s) of TOKEN_RATE_LIMIT and TOKEN_AUTH_FAILURE_LIMIT.'),
  TOKEN_AUTH_FAILURE_LIMIT: setting(
    positiveInt,
    '30',
    'Failed client authentications (401) at the token endpoint allowed per IP per TOKEN_RATE_LIMIT_WINDOW.',
  ),
  ROLES_CLAIM: setting(
    claimName,
    'roles',
    'Name of the claim listing the user\'s role names (ID token and userinfo with the `roles` scope; JWT access tokens for APIs). A URI such as https://example.com/roles avoids collisions.',
  ),
  PERMISSIONS_CLAIM: setting(
    claimName,
    'permissions',
    'Name of the claim listing what the user\'s roles permit: in ID token and userinfo (`permissions` scope) an object of API identifier → scopes; in a JWT access token the scopes of that API.',
  ),
});
