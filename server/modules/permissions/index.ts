/** The permissions module's public face: APIs, their scopes, roles, and how they map onto tokens. */
export { resourceServerSchema, type ResourceServer, type ResourceServerDefinition } from './domain/resource-server.js';
export { ADMIN_ROLE, ROLE_NAME_PATTERN, type Role, type Permission } from './domain/role.js';
export { grantableScopes, clientAllowance, type ScopeMappingInput, type ResourceScopes } from './domain/scope-mapping.js';
export type { ResourceServerRepository, RoleRepository } from './ports.js';
