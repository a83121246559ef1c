/**
 * The built-in first-party client the admin console (/console) signs in with: public (the
 * console's server keeps no client secret; PKCE binds the code to it), authorization code only,
 * its one redirect URI on this issuer, allowed the admin API's scopes (a user gets them only
 * through a role that grants them), consent skipped (first party), and `mfa_policy: required`
 * when CONSOLE_MFA_REQUIRED. Applied at every start the console is enabled, so a changed ISSUER
 * or MFA setting updates it.
 */
import { ADMIN_API_SCOPES } from './admin-api.js';
import { parseSeedDocument, type SeedDocument } from './seed-document.js';

export const ADMIN_CONSOLE_CLIENT_ID = 'admin-console';

export function adminConsoleSeed(options: { issuer: string; audience: string; mfaRequired: boolean }): SeedDocument {
  return parseSeedDocument(
    {
      clients: [
        {
          client_id: ADMIN_CONSOLE_CLIENT_ID,
          client_name: 'Admin console',
          token_endpoint_auth_method: 'none',
          redirect_uris: [`${options.issuer}/console/callback`],
          post_logout_redirect_uris: [`${options.issuer}/console`],
          grant_types: ['authorization_code'],
          scope: 'openid',
          first_party: true,
          resource_scopes: { [options.audience]: Object.keys(ADMIN_API_SCOPES) },
          mfa_policy: options.mfaRequired ? 'required' : 'optional',
        },
      ],
    },
    'admin console',
  );
}
