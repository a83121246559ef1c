/** The clients module's public face: how clients are declared and which origins they own. */
export { clientDefinitionSchema, allowedOrigins, usesSharedSecret, AUTH_METHODS, type ClientDefinition } from './domain/client-definition.js';
export type { ClientRepository, StoredClient } from './ports.js';
