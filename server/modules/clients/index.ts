/** The clients module's public face: how clients are declared and which origins they own. */
export { CLIENT_DEFINITION_KEYS, clientDefinitionSchema, allowedOrigins, usesSharedSecret, AUTH_METHODS, type ClientDefinition } from './domain/client-definition.js';
export type { ClientRepository, StoredClient, ListedClient, ClientStore, ClientChanges, ManagedClient } from './ports.js';
export { createClientAdministration, type ClientAdministration, type ClientAdministrationDeps, type ClientWithSecret } from './use-cases/administer-clients.js';
export { highSecurityIssues, FAPI_PROFILES, type HighSecurityClient } from './domain/high-security-metadata.js';
