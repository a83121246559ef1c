/** What the permissions module needs from storage. */
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
