/**
 * The admin API over real HTTP against Postgres and Redis, one provider for every suite. Every
 * response is checked against the OpenAPI document (tests/helpers/admin-api.ts); the last test
 * fails when the document declares an operation no suite exercised.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizationSuite } from './authorization.suite.js';
import { startAdminContext, type AdminTestContext } from './context.js';
import { clientsSuite } from './clients.suite.js';
import { rolesSuite } from './roles.suite.js';
import { sessionsSuite } from './sessions.suite.js';
import { usersSuite } from './users.suite.js';
import { auditSuite } from './audit.suite.js';
import { webhooksSuite } from './webhooks.suite.js';
import { settingsSuite } from './settings.suite.js';
import { statsSuite } from './stats.suite.js';
import { identitiesSuite } from './identities.suite.js';

let context: AdminTestContext;
const ctx = () => context;
beforeAll(async () => {
  // The webhooks suite delivers to a receiver on loopback, and wants its first retry within a second.
  context = await startAdminContext({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', OUTBOX_POLL_INTERVAL: '1', OUTBOX_RETRY_BASE: '1' });
}, 60_000);
afterAll(async () => {
  await context?.op.stop();
});

authorizationSuite(ctx);
usersSuite(ctx);
rolesSuite(ctx);
clientsSuite(ctx);
sessionsSuite(ctx);
identitiesSuite(ctx);
auditSuite(ctx);
webhooksSuite(ctx);
settingsSuite(ctx);
statsSuite(ctx);

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with unique operation ids, each secured by an admin scope but the document itself', () => {
    const { document, operationIds } = context.api;
    expect(document.openapi).toBe('3.1.0');
    expect(new Set(operationIds).size).toBe(operationIds.length);
    for (const methods of Object.values(document.paths as Record<string, Record<string, { operationId: string; security: Array<{ oauth2: string[] }> }>>)) {
      for (const op of Object.values(methods)) {
        const scopes = op.security.flatMap((s) => s.oauth2);
        if (op.operationId === 'getOpenApiDocument') expect(scopes).toEqual([]);
        else {
          expect(scopes).toHaveLength(1);
          expect(['admin:read', 'admin:write']).toContain(scopes[0]);
        }
      }
    }
    expect(context.api.compileAll()).toBeGreaterThan(operationIds.length);
  });


  it('has every operation exercised by the suites above', () => {
    const missing = context.api.operationIds.filter((id) => !context.api.exercised.has(id));
    expect(missing).toEqual([]);
  });
});
