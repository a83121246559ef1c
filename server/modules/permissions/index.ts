/** The permissions module's public face: APIs and the scopes they define. */
export { resourceServerSchema, type ResourceServer, type ResourceServerDefinition } from './domain/resource-server.js';
export type { ResourceServerRepository } from './ports.js';
