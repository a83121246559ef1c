/** The clients module's public face: how clients are declared and which origins they own. */
export { CLIENT_DEFINITION_KEYS, clientDefinitionSchema, tokenExchangePolicySchema, DEVICE_CODE_GRANT, TOKEN_EXCHANGE_GRANT, type TokenExchangePolicy, allowedOrigins, usesSharedSecret, AUTH_METHODS, type ClientDefinition } from './domain/client-definition.js';
export { decideExchange, TOKEN_TYPES, type ExchangeParty, type ExchangeRequest, type ExchangeDecision } from './domain/token-exchange.js';
export type { ExchangeTokenVerifier, ClientRepository, StoredClient, ListedClient, ClientStore, ClientChanges, ManagedClient, OutboundUrlPolicy } from './ports.js';
export { createClientAdministration, type ClientAdministration, type ClientAdministrationDeps, type ClientWithSecret } from './use-cases/administer-clients.js';
export { highSecurityIssues, FAPI_PROFILES, type HighSecurityClient } from './domain/high-security-metadata.js';
