/** The bootstrap module's public face: seed documents and the first start. */
export { parseSeedDocument, seedDocumentSchema, type SeedDocument } from './use-cases/seed-document.js';
export { applySeed, type ApplySeedDeps, type SeedReport } from './use-cases/apply-seed.js';
export { importUsers, type ImportUsersDeps, type ImportResult } from './use-cases/import-users.js';
export { exportSeed, type ExportSeedDeps, type ExportOptions } from './use-cases/export-seed.js';
export { createAdmin, type CreateAdminDeps, type CreateAdminInput } from './use-cases/create-admin.js';
export { bootstrapAdmin, demoSeed, demoCallbackUrl, DEMO_WEB_CLIENT_ID, DEMO_SPA_CLIENT_ID, DEMO_API, type BootstrapAdminDeps } from './use-cases/first-run.js';
export { ensureAdminApi, ADMIN_API_SCOPES, ADMIN_ROLE, type AdminApiDeps } from './use-cases/admin-api.js';
export { accountConsoleSeed, ACCOUNT_CONSOLE_CLIENT_ID } from './use-cases/account-console.js';
export { adminConsoleSeed, ADMIN_CONSOLE_CLIENT_ID } from './use-cases/admin-console.js';
