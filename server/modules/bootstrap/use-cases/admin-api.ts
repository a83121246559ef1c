/**
 * The admin API as a resource server of this provider: registered at every start (so its
 * scopes exist before seeds name them), with an `admin` role holding every admin scope. The
 * first-run administrator gets that role. Its tokens are JWTs (the API verifies them locally).
 */
import type { ResourceServerRepository, RoleRepository } from '../../permissions/index.js';

/** The admin API's scopes and what they allow. */
export const ADMIN_API_SCOPES: Record<string, string> = {
  'admin:read': 'Read users, roles, APIs, clients, sessions and grants',
  'admin:write': 'Create, change and delete users, roles, APIs and clients; revoke sessions and grants',
};

/** Name of the role that holds every admin scope. */
export const ADMIN_ROLE = 'admin';

export interface AdminApiDeps {
  apis: ResourceServerRepository;
  roles: RoleRepository;
}

/**
 * Registers (or refreshes) the admin API and creates the admin role when it does not exist; a
 * role an operator has changed is left as it is.
 */
export async function ensureAdminApi(deps: AdminApiDeps, options: { audience: string; tokenTtl: number }): Promise<void> {
  await deps.apis.save(
    {
      identifier: options.audience,
      name: 'Admin API',
      scopes: Object.entries(ADMIN_API_SCOPES).map(([value, description]) => ({ value, description })),
      accessTokenTtl: options.tokenTtl,
    },
    'bootstrap',
  );
  if (!(await deps.roles.findByName(ADMIN_ROLE))) {
    await deps.roles.saveByName(
      {
        name: ADMIN_ROLE,
        description: 'Administers the provider through the admin API',
        permissions: Object.keys(ADMIN_API_SCOPES).map((scope) => ({ resource: options.audience, scope })),
      },
      'bootstrap',
    );
  }
}
