/** The bootstrap module's public face: seed documents and the first start. */
export { parseSeedDocument, seedDocumentSchema, type SeedDocument } from './use-cases/seed-document.js';
export { applySeed, type ApplySeedDeps, type SeedReport } from './use-cases/apply-seed.js';
export { bootstrapAdmin, demoSeed, DEMO_WEB_CLIENT_ID, DEMO_SPA_CLIENT_ID, DEMO_API, type BootstrapAdminDeps } from './use-cases/first-run.js';
export { accountConsoleSeed, ACCOUNT_CONSOLE_CLIENT_ID } from './use-cases/account-console.js';
