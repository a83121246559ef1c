/** Signing in with upstream OpenID Providers: Google and any others, and what their sign-ins may do. */
import { z } from 'zod';
import { bool, url } from './kinds.js';
import { optional, setting } from './setting.js';

export const federation = z.object({
  GOOGLE_CLIENT_ID: optional(
    z.string().min(1).max(512),
    'OAuth client id of this provider at Google (https://console.cloud.google.com). Set with GOOGLE_CLIENT_SECRET to offer "Continue with Google"; the redirect URI to register is ISSUER/federation/callback.',
  ),
  GOOGLE_ISSUER: setting(
    url(['http:', 'https:']),
    'https://accounts.google.com',
    'Issuer of "Continue with Google". Change it only to point at a local stand-in in tests (http needs FEDERATION_ALLOW_HTTP_ISSUERS outside production).',
  ),
  GOOGLE_CLIENT_SECRET: optional(z.string().min(1).max(512), 'OAuth client secret of this provider at Google (required with GOOGLE_CLIENT_ID).', { secret: true }),
  UPSTREAM_OIDC_PROVIDERS: optional(
    z.string().min(2),
    'Further upstream OpenID Providers to sign in with, as JSON: [{"id":"corp","name":"Corp SSO","issuer":"https://sso.example.com","client_id":"…","client_secret":"…"}]. Discovered from the issuer; redirect URI ISSUER/federation/callback.',
    { secret: true },
  ),
  FEDERATION_AUTO_REGISTER: setting(
    bool,
    'false',
    'Create an account on the first sign-in with an upstream provider whose account is not linked yet (email and email_verified taken from the upstream).',
  ),
  FEDERATION_LINK_BY_EMAIL: setting(
    bool,
    'false',
    'On a first upstream sign-in whose email (asserted verified by the upstream) belongs to an existing account, offer to link them once the user enters that account\'s password.',
  ),
  FEDERATION_TRUST_UPSTREAM_MFA: setting(
    bool,
    'false',
    'Accept an upstream ID token whose amr says "mfa" as multi-factor for our MFA policy (acr). false: our own second factor is still asked for when the policy needs one.',
  ),
  FEDERATION_ALLOW_HTTP_ISSUERS: setting(
    bool,
    'false',
    'Allow http:// upstream issuers (local test issuers). Refused in production: upstream issuers must be https there.',
  ),
});
