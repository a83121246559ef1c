/** Dynamic client registration, the admin API as a resource server, and the admin console. */
import { z } from 'zod';
import { bool, list, seconds, url } from './kinds.js';
import { optional, setting } from './setting.js';

export const clients = z.object({
  CLIENT_REGISTRATION_ENABLED: setting(
    bool,
    'false',
    'Dynamic client registration (RFC 7591) and management (RFC 7592) at /reg. Needs CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS.',
  ),
  CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS: optional(
    list.refine((tokens) => tokens.length > 0 && tokens.every((t) => t.length >= 32), 'must be a comma-separated list of tokens of at least 32 characters'),
    'Initial access tokens a registrant presents as `Authorization: Bearer`, comma-separated (several are valid at once, for rotation). Compared in constant time.',
    { secret: true },
  ),
  ADMIN_API_AUDIENCE: optional(
    url(['http:', 'https:']),
    'Identifier (token audience) of the admin API resource server, registered at every start with the scopes admin:read and admin:write. Defaults to ISSUER/admin/v1.',
  ),
  ADMIN_API_TOKEN_TTL: setting(
    seconds,
    '600',
    'Lifetime (s) of access tokens for the admin API: short, as a removed admin role or revoked grant only stops a token at its expiry.',
  ),
  CONSOLE_ENABLED: setting(bool, 'true', 'Serve the admin console at /console (signs in with the built-in `admin-console` client; needs the admin role).'),
  CONSOLE_MFA_REQUIRED: optional(
    bool,
    'Require a second factor to sign in to the admin console. Defaults to true in production, false otherwise. Production refuses false unless CONSOLE_MFA_OPTIONAL_IN_PRODUCTION=true.',
  ),
  CONSOLE_MFA_OPTIONAL_IN_PRODUCTION: setting(
    bool,
    'false',
    'Acknowledge CONSOLE_MFA_REQUIRED=false in production (refused without it), e.g. when only a gateway that enforces its own second factor reaches /console. Every start then logs a warning.',
  ),
  CONSOLE_API_URL: optional(
    url(['http:', 'https:']),
    'Base URL at which the console reaches this provider (token endpoint and admin API) from the server itself. Defaults to ISSUER; set it when ISSUER is not reachable from inside (e.g. http://127.0.0.1:3000).',
  ),
});
