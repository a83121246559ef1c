/** The permissions module's public face: APIs, their scopes, roles, and how they map onto tokens. */
export { resourceServerSchema, ACCESS_TOKEN_FORMATS, type AccessTokenFormat, type ResourceServer, type ResourceServerDefinition } from './domain/resource-server.js';
export { ROLE_NAME_PATTERN, type Role, type Permission } from './domain/role.js';
export { grantableScopes, clientAllowance, type ScopeMappingInput, type ResourceScopes } from './domain/scope-mapping.js';
export type { ResourceServerRepository, RoleRepository, RoleStore, ResourceServerStore, Versioned } from './ports.js';
export { createRoleAdministration, type RoleAdministration, type RoleAdministrationDeps, type RoleInput } from './use-cases/administer-roles.js';
export {
  createResourceServerAdministration,
  type ResourceServerAdministration,
  type ResourceServerAdministrationDeps,
} from './use-cases/administer-resource-servers.js';
