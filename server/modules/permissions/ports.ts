/** What the permissions module needs from storage. */
import type { Page, PageRequest } from '../../shared/pagination.js';
import type { ExpectedVersions } from '../../shared/versions.js';
import type { ResourceServer } from './domain/resource-server.js';
import type { Permission, Role } from './domain/role.js';

export interface ResourceServerRepository {
  find(identifier: string): Promise<ResourceServer | undefined>;
  save(server: ResourceServer, source: string): Promise<void>;
  /** Every API, by identifier. */
  list(): Promise<ResourceServer[]>;
}

export interface RoleRepository {
  findByName(name: string): Promise<Role | undefined>;
  /** Creates the role or replaces its description and permissions. */
  saveByName(role: { name: string; description: string; permissions: Permission[] }, source: string): Promise<Role>;
  /** Replaces the roles a user holds. */
  setUserRoles(userId: string, roleIds: string[]): Promise<void>;
  /** Names of the roles a user holds, sorted. */
  roleNamesOf(userId: string): Promise<string[]>;
  /** Scopes of one API that the user's roles grant. */
  grantedScopes(userId: string, resource: string): Promise<string[]>;
  /** Every role with its permissions, by name. */
  list(): Promise<Role[]>;
  /** How many users hold the role named `name` (0 when there is no such role). */
  countHolders(name: string): Promise<number>;
  /** Every permission the user's roles grant, across all APIs, sorted. */
  permissionsOf(userId: string): Promise<Permission[]>;
}

export type Versioned<T> = T & { version: number; source: string; createdAt: Date; updatedAt: Date };

/**
 * What administration needs beyond the seed's upserts (one table adapter implements both
 * interfaces of its table). Changes are compare-and-set on the version
 * (@throws UniqueViolation for a name in use, StaleVersion, RecordMissing: server/shared/store-errors.ts).
 * A change that alters what other records show (a role renamed or deleted changes its holders;
 * an API's scope removed or the API deleted changes the roles granting it) increments their
 * versions in the same transaction, so their ETags change too.
 */
export interface RoleStore {
  listPage(page: PageRequest): Promise<Page<Versioned<Role>>>;
  findById(id: string): Promise<Versioned<Role> | undefined>;
  create(role: { name: string; description: string; permissions: Permission[] }, source: string): Promise<Versioned<Role>>;
  update(id: string, versions: ExpectedVersions, changes: { name?: string; description?: string; permissions?: Permission[] }): Promise<Versioned<Role>>;
  delete(id: string, versions: ExpectedVersions): Promise<void>;
}

export interface ResourceServerStore {
  listPage(page: PageRequest): Promise<Page<Versioned<ResourceServer>>>;
  find(identifier: string): Promise<Versioned<ResourceServer> | undefined>;
  create(server: ResourceServer, source: string): Promise<Versioned<ResourceServer>>;
  update(identifier: string, versions: ExpectedVersions, changes: Partial<Omit<ResourceServer, 'identifier'>>): Promise<Versioned<ResourceServer>>;
  delete(identifier: string, versions: ExpectedVersions): Promise<void>;
}
