/**
 * Exports what an operator declares (APIs, roles, clients, users) as a seed document that
 * SEED_FILE, or `oidc-server import`, applies again. Never exported: client secrets (a confidential
 * client re-applied elsewhere gets a fresh generated one, printed once), dynamically registered
 * clients (they belong to their registrants and their registration access tokens), and password
 * hashes unless asked for explicitly.
 */
import { CLIENT_DEFINITION_KEYS, type ClientRepository } from '../../clients/index.js';
import type { ResourceServerRepository, RoleRepository } from '../../permissions/index.js';
import { eachUser, type CredentialRepository, type UserRepository } from '../../users/index.js';

export interface ExportSeedDeps {
  apis: Pick<ResourceServerRepository, 'list'>;
  roles: Pick<RoleRepository, 'list' | 'roleNamesOf'>;
  clients: Pick<ClientRepository, 'list'>;
  users: Pick<UserRepository, 'list'>;
  credentials: Pick<CredentialRepository, 'findPassword'>;
}

export interface ExportOptions {
  /** Include users' password hashes (sensitive: offline guessing material). */
  passwordHashes?: boolean;
}

/** Users are read in pages so a large directory never sits in one query result. */
const USER_PAGE = 500;
/** Sources of clients this export leaves out. */
// Dynamically registered clients belong to their registrants; built-in ones (account console) to every start.
const NOT_EXPORTED_SOURCES = new Set(['dynamic', 'builtin']);

type Entry = Record<string, unknown>;

function groupPermissions(permissions: ReadonlyArray<{ resource: string; scope: string }>) {
  const byResource = new Map<string, string[]>();
  for (const { resource, scope } of permissions) byResource.set(resource, [...(byResource.get(resource) ?? []), scope]);
  return [...byResource].map(([resource, scopes]) => ({ resource, scopes }));
}

async function exportUsers(deps: ExportSeedDeps, options: ExportOptions): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const user of eachUser(deps.users, USER_PAGE)) {
    const roles = await deps.roles.roleNamesOf(user.id);
    const hash = options.passwordHashes ? (await deps.credentials.findPassword(user.id))?.hash : undefined;
    out.push({
      username: user.username,
      ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
      ...(Object.keys(user.profile).length ? { profile: user.profile } : {}),
      ...(roles.length ? { roles } : {}),
      ...(hash ? { password_hash: hash } : {}),
    });
  }
  return out;
}

/** @returns a seed document (seed-document.ts) as plain JSON-ready data. */
export async function exportSeed(deps: ExportSeedDeps, options: ExportOptions = {}): Promise<Entry> {
  // What every start registers by itself (the admin API) is not exported: the target registers its own.
  const apis = (await deps.apis.list()).filter((api) => api.source !== 'bootstrap').map((api) => ({
    identifier: api.identifier,
    name: api.name,
    scopes: api.scopes,
    ...(api.accessTokenTtl ? { access_token_ttl: api.accessTokenTtl } : {}),
    ...(api.accessTokenFormat === 'opaque' ? { access_token_format: api.accessTokenFormat } : {}),
  }));
  const roles = (await deps.roles.list()).map((role) => ({
    name: role.name,
    description: role.description,
    permissions: groupPermissions(role.permissions),
  }));
  const clients = (await deps.clients.list())
    .filter((client) => !NOT_EXPORTED_SOURCES.has(client.source))
    .map((client) => {
      const known = CLIENT_DEFINITION_KEYS.filter((key) => key !== 'client_secret' && key !== 'client_secret_env' && client.metadata[key] !== undefined);
      return { client_id: client.clientId, ...Object.fromEntries(known.map((key) => [key, client.metadata[key]])) };
    });
  return { apis, roles, clients, users: await exportUsers(deps, options) };
}
