/**
 * First start: an administrator account with a generated one-time password (shown once, to be
 * changed at first sign-in), and in development the demo clients, declared as an ordinary seed
 * document so they go through the same validation as the operator's own.
 */
import type { RoleRepository } from '../../permissions/index.js';
import { createUser, type CredentialRepository, type PasswordHasher, type UserRepository } from '../../users/index.js';
import { grantAdminRole, oneTimePassword } from './create-admin.js';
import { parseSeedDocument, type SeedDocument } from './seed-document.js';

export interface BootstrapAdminDeps {
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  /** When given, the admin also gets the `admin` role (what `users create-admin` checks for). */
  roles?: RoleRepository;
}

/**
 * @param options.firstRun decided by the caller before seeds added users; by default, "no users now".
 * @returns the one-time password when the admin was created now; undefined when this is not a
 * first run, or when an account named admin exists already (a seed file declared one).
 */
export async function bootstrapAdmin(
  deps: BootstrapAdminDeps,
  options: { firstRun?: boolean } = {},
): Promise<{ username: string; password: string } | undefined> {
  const firstRun = options.firstRun ?? (await deps.users.count()) === 0;
  if (!firstRun || (await deps.users.findByUsername('admin'))) return undefined;
  const password = oneTimePassword();
  const user = await createUser(deps, { username: 'admin', password, mustChangePassword: true, profile: { name: 'Administrator' } });
  if (deps.roles) await grantAdminRole(deps.roles, user.id);
  return { username: 'admin', password };
}

export const DEMO_WEB_CLIENT_ID = 'demo-web';
export const DEMO_SPA_CLIENT_ID = 'demo-spa';
export const DEMO_API = 'https://api.demo.localhost';

/** Where the built-in demo sign-in (development start page) receives the demo SPA's code. */
export const demoCallbackUrl = (issuer: string) => `${issuer}/demo/callback`;

/** The demo clients and API, as a seed document; the SPA also comes back to this server's demo callback. */
export function demoSeed(issuer: string): SeedDocument {
  return parseSeedDocument(
    {
      apis: [
        {
          identifier: DEMO_API,
          name: 'Demo API',
          scopes: [
            { value: 'demo:read', description: 'Read demo data' },
            { value: 'demo:write', description: 'Change demo data' },
          ],
        },
      ],
      clients: [
        {
          client_id: DEMO_WEB_CLIENT_ID,
          client_name: 'Demo web application',
          token_endpoint_auth_method: 'client_secret_basic',
          redirect_uris: ['http://localhost:8080/callback'],
          post_logout_redirect_uris: ['http://localhost:8080/'],
          grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
          scope: 'openid profile email offline_access roles',
          resource_scopes: { [DEMO_API]: ['demo:read', 'demo:write'] },
        },
        {
          client_id: DEMO_SPA_CLIENT_ID,
          client_name: 'Demo single-page application',
          token_endpoint_auth_method: 'none',
          redirect_uris: ['http://localhost:5173/callback', demoCallbackUrl(issuer)],
          post_logout_redirect_uris: ['http://localhost:5173/', `${issuer}/`],
          grant_types: ['authorization_code', 'refresh_token'],
          scope: 'openid profile email offline_access roles',
          resource_scopes: { [DEMO_API]: ['demo:read'] },
        },
      ],
    },
    'demo clients',
  );
}

