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
import { webhooksSuite } from './webhooks.suite.js';

let context: AdminTestContext;
const ctx = () => context;
beforeAll(async () => {
  context = await startAdminContext();
}, 60_000);
afterAll(async () => {
  await context?.op.stop();
});

authorizationSuite(ctx);
usersSuite(ctx);
rolesSuite(ctx);
clientsSuite(ctx);
sessionsSuite(ctx);
webhooksSuite(ctx);

describe('the OpenAPI document', () => {
  it('has every operation exercised by the suites above', () => {
    const missing = context.api.operationIds.filter((id) => !context.api.exercised.has(id));
    expect(missing).toEqual([]);
  });
});
