/**
 * Applies a seed document idempotently: APIs and clients are upserted (the document is the
 * source of truth for what it declares); users are created when missing and their profile
 * updated, but a password is only set at creation, so people keep passwords they changed.
 */
import { AppError } from '../../../shared/errors.js';
import { newSecret } from '../../../shared/ids.js';
import { usesSharedSecret, type ClientDefinition, type ClientRepository, type OutboundUrlPolicy } from '../../clients/index.js';
import type { Permission, ResourceServerRepository, RoleRepository } from '../../permissions/index.js';
import { createUser, PASSWORD_MIN_LENGTH, type CredentialRepository, type PasswordHasher, type Profile, type UserRepository } from '../../users/index.js';
import type { SeedDocument, SeedRole, SeedUser } from './seed-document.js';

export interface ApplySeedDeps {
  clients: ClientRepository;
  apis: ResourceServerRepository;
  roles: RoleRepository;
  /** Seconds retired signing keys keep verifying (KEY_ROTATION_OVERLAP). */
  keyRotationOverlap: number;
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  /** Validates metadata as the protocol engine will when it loads the client. */
  validateClientMetadata(metadata: Record<string, unknown>): Promise<void>;
  /** The address policy the provider's calls to a client's back-channel logout URI are held to. */
  endpoints: OutboundUrlPolicy;
  env: Record<string, string | undefined>;
}

export interface SeedReport {
  clients: Array<{ clientId: string; created: boolean; generatedSecret?: string }>;
  apis: string[];
  roles: string[];
  users: Array<{ username: string; created: boolean }>;
}

function clientMetadata(def: ClientDefinition): Record<string, unknown> {
  const { client_secret: _s, client_secret_env: _e, ...metadata } = def;
  metadata.token_endpoint_auth_method ??= 'client_secret_basic';
  return Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined));
}

/**
 * Reads a secret a seed entry names by environment variable (`client_secret_env`, `password_env`).
 * @param where the entry and field, e.g. `clients[2] ("batch").client_secret_env`, for the error.
 * @throws AppError invalid_seed when the variable is unset or shorter than `minLength`.
 */
function secretFromEnv(deps: ApplySeedDeps, source: string, where: string, variable: string, minLength: number): string {
  const value = deps.env[variable];
  if (!value || value.length < minLength) {
    throw new AppError('invalid_seed', `${source}: ${where}: environment variable ${variable} must hold at least ${minLength} characters`);
  }
  return value;
}

/**
 * @throws AppError invalid_seed at `where` unless `resource` is a registered API defining every one of `scopes`.
 */
async function assertApiScopes(deps: ApplySeedDeps, source: string, where: string, resource: string, scopes: readonly string[]) {
  const api = await deps.apis.find(resource);
  if (!api) throw new AppError('invalid_seed', `${source}: ${where}: ${JSON.stringify(resource)} is not a registered API`);
  const defined = new Set(api.scopes.map((s) => s.value));
  const unknown = scopes.filter((scope) => !defined.has(scope));
  if (unknown.length) throw new AppError('invalid_seed', `${source}: ${where}: ${unknown.map((s) => JSON.stringify(s)).join(', ')} not defined by API ${resource}`);
}

async function applyRole(deps: ApplySeedDeps, source: string, index: number, role: SeedRole, origin: string) {
  const permissions: Permission[] = [];
  for (const [j, permission] of role.permissions.entries()) {
    await assertApiScopes(deps, source, `roles[${index}] (${JSON.stringify(role.name)}).permissions[${j}]`, permission.resource, permission.scopes);
    for (const scope of permission.scopes) permissions.push({ resource: permission.resource, scope });
  }
  await deps.roles.saveByName({ name: role.name, description: role.description, permissions }, origin);
  return role.name;
}

async function applyClient(deps: ApplySeedDeps, source: string, index: number, def: ClientDefinition, origin: string) {
  const metadata = clientMetadata(def);
  for (const [api, scopes] of Object.entries(def.resource_scopes ?? {})) {
    await assertApiScopes(deps, source, `clients[${index}] (${JSON.stringify(def.client_id)}).resource_scopes`, api, scopes);
  }
  if (def.backchannel_logout_uri) {
    // Checked again at every delivery (DNS can change); refused here so a start or import names it.
    const refusal = await deps.endpoints.refusal(def.backchannel_logout_uri);
    if (refusal) throw new AppError('invalid_seed', `${source}: clients[${index}] (${JSON.stringify(def.client_id)}).backchannel_logout_uri: ${refusal}`);
  }
  const existing = await deps.clients.find(def.client_id);
  let secret = def.client_secret_env
    ? secretFromEnv(deps, source, `clients[${index}] (${JSON.stringify(def.client_id)}).client_secret_env`, def.client_secret_env, 32)
    : def.client_secret;
  let generatedSecret: string | undefined;
  if (usesSharedSecret(def) && !secret) {
    secret = existing?.secret;
    if (!secret) secret = generatedSecret = newSecret();
  }
  if (!usesSharedSecret(def)) secret = undefined;
  try {
    await deps.validateClientMetadata({ client_id: def.client_id, ...metadata, ...(secret ? { client_secret: secret } : {}) });
  } catch (error) {
    const detail = error instanceof Error ? (error as Error & { error_description?: string }).error_description ?? error.message : String(error);
    throw new AppError('invalid_seed', `${source}: clients[${index}] (${JSON.stringify(def.client_id)}): ${detail}`);
  }
  await deps.clients.save({ clientId: def.client_id, metadata, secret, source: origin });
  return { clientId: def.client_id, created: !existing, ...(generatedSecret ? { generatedSecret } : {}) };
}

function userPassword(deps: ApplySeedDeps, source: string, index: number, user: SeedUser): string | undefined {
  if (!user.password_env) return user.password;
  return secretFromEnv(deps, source, `users[${index}] (${JSON.stringify(user.username)}).password_env`, user.password_env, PASSWORD_MIN_LENGTH);
}

/**
 * An existing user gets only the fields the entry states: what people changed themselves (a
 * verified address, their profile) is not reset by a seed that does not mention it. A changed
 * email without `email_verified` is unverified again.
 */
function statedFields(user: SeedUser, existing: { email: string | null; profile: Profile } | undefined) {
  const fields: { email?: string | null; emailVerified?: boolean; profile?: Profile } = {};
  if (user.email !== undefined) fields.email = user.email;
  if (user.email_verified !== undefined) fields.emailVerified = user.email_verified;
  else if (existing && user.email !== undefined && user.email.toLowerCase() !== existing.email?.toLowerCase()) fields.emailVerified = false;
  if (user.profile !== undefined) fields.profile = { ...existing?.profile, ...user.profile };
  return fields;
}

/** @throws AppError invalid_seed naming the first role of the entry that does not exist. */
async function roleIds(deps: ApplySeedDeps, source: string, index: number, user: SeedUser): Promise<string[] | undefined> {
  if (user.roles === undefined) return undefined;
  const ids: string[] = [];
  for (const [k, name] of user.roles.entries()) {
    const role = await deps.roles.findByName(name);
    if (!role) throw new AppError('invalid_seed', `${source}: users[${index}] (${JSON.stringify(user.username)}).roles[${k}]: no role named ${JSON.stringify(name)}`);
    ids.push(role.id);
  }
  return ids;
}

async function applyUser(deps: ApplySeedDeps, source: string, index: number, user: SeedUser) {
  const existing = await deps.users.findByUsername(user.username);
  const roles = await roleIds(deps, source, index, user);
  if (existing) {
    const fields = statedFields(user, existing);
    if (Object.keys(fields).length) await deps.users.update(existing.id, fields);
    if (roles) await deps.roles.setUserRoles(existing.id, roles);
    return { username: user.username, created: false };
  }
  const password = userPassword(deps, source, index, user);
  const created = await createUser(deps, {
    username: user.username,
    ...statedFields(user, undefined),
    ...(password ? { password } : {}),
    ...(user.password_hash ? { passwordHash: user.password_hash } : {}),
  });
  if (roles?.length) await deps.roles.setUserRoles(created.id, roles);
  return { username: user.username, created: true };
}

/**
 * @param origin recorded on each client ("seed", "demo") so operators can tell where it came from.
 * @throws AppError invalid_seed naming the entry and field that cannot be applied.
 */
export async function applySeed(deps: ApplySeedDeps, doc: SeedDocument, source: string, origin = 'seed'): Promise<SeedReport> {
  const report: SeedReport = { clients: [], apis: [], roles: [], users: [] };
  for (const [index, api] of doc.apis.entries()) {
    // A token must not outlive the key that signed it: retired keys verify only for the overlap.
    if (api.access_token_ttl !== undefined && api.access_token_ttl >= deps.keyRotationOverlap) {
      throw new AppError(
        'invalid_seed',
        `${source}: apis[${index}] (${JSON.stringify(api.identifier)}).access_token_ttl: must be shorter than KEY_ROTATION_OVERLAP (${deps.keyRotationOverlap}s)`,
      );
    }
    await deps.apis.save(
      { identifier: api.identifier, name: api.name, scopes: api.scopes, accessTokenTtl: api.access_token_ttl, accessTokenFormat: api.access_token_format ?? 'jwt' },
      origin,
    );
    report.apis.push(api.identifier);
  }
  for (const [index, role] of doc.roles.entries()) report.roles.push(await applyRole(deps, source, index, role, origin));
  for (const [index, client] of doc.clients.entries()) report.clients.push(await applyClient(deps, source, index, client, origin));
  for (const [index, user] of doc.users.entries()) report.users.push(await applyUser(deps, source, index, user));
  return report;
}
