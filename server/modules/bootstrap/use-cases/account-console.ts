/**
 * The built-in first-party client the /account pages sign in with: public (no secret to keep),
 * authorization code with PKCE only, its one redirect URI on this issuer, `openid` only, consent
 * skipped (first party). Applied at every start, so a changed ISSUER updates its redirect URI.
 */
import { parseSeedDocument, type SeedDocument } from './seed-document.js';

export const ACCOUNT_CONSOLE_CLIENT_ID = 'account-console';

export function accountConsoleSeed(issuer: string): SeedDocument {
  return parseSeedDocument(
    {
      clients: [
        {
          client_id: ACCOUNT_CONSOLE_CLIENT_ID,
          client_name: 'Your account',
          token_endpoint_auth_method: 'none',
          redirect_uris: [`${issuer}/account/callback`],
          post_logout_redirect_uris: [`${issuer}/account`],
          grant_types: ['authorization_code'],
          scope: 'openid',
          first_party: true,
        },
      ],
    },
    'account console',
  );
}
