/**
 * The admin API under /admin/v1: a JSON API for administrators and their tools, protected by
 * this provider's own JWT access tokens (RFC 9068) for the admin resource server
 * (ADMIN_API_AUDIENCE), described by an OpenAPI 3.1 document at GET /admin/v1/openapi.json.
 *
 * HOW TO ADD A RESOURCE (e.g. audit search, webhook subscriptions):
 *   1. Write `server/http/routes/admin/<resource>.ts` exporting `<resource>Resource(deps): AdminResource`
 *      (see users.ts): a tag, the component schemas its responses name, and its operations, each
 *      declared with `operation({...})` — method, OpenAPI path (`/things/{thingId}`), operationId,
 *      the required `scope` ('admin:read' to read, 'admin:write' to change), zod schemas for
 *      params / query / body, `ifMatch: true` if it changes a versioned representation, the
 *      success responses and the extra problem statuses (404, 409). That one declaration is both
 *      the route and its OpenAPI fragment; 400/401/403/412/428 are added from it.
 *   2. Call your module's use cases from `handle` (routes validate and orchestrate only), record
 *      an audit event there for every change, and add what they need to AdminApiDeps below
 *      (wired in server/wiring/).
 *   3. Append your resource to RESOURCES in adminApi() below.
 *   4. Test it in `tests/integration/admin/<resource>.suite.ts` (see users.suite.ts) and call the
 *      suite from tests/integration/admin/admin-api.test.ts: every response there is checked
 *      against this document, and the file fails when an operation of the document was never
 *      exercised by one of its suites.
 */
import type Koa from 'koa';
import compose from 'koa-compose';
import { z } from 'zod';
import { ADMIN_API_SCOPES } from '../../../modules/bootstrap/index.js';
import type { ClientAdministration } from '../../../modules/clients/index.js';
import type { AuditTrail } from '../../../modules/compliance/index.js';
import type { ResourceServerAdministration, RoleAdministration } from '../../../modules/permissions/index.js';
import type { AccountRecordAdministration, UserAdministration } from '../../../modules/users/index.js';
import type { WebhookAdministration } from '../../../modules/webhooks/index.js';
import type { Authenticator } from './kit/authenticate.js';
import { buildDocument } from './kit/openapi.js';
import { operation, type AdminResource } from './kit/operation.js';
import { buildRouter, notFound } from './kit/router.js';
import { clientsResource } from './clients.js';
import { resourceServersResource } from './resource-servers.js';
import { rolesResource } from './roles.js';
import { usersResource } from './users.js';
import { webhooksResource } from './webhooks.js';
import { userSessionsResource } from './user-sessions.js';
import { auditResource, type AuditVerification } from './audit.js';
import { settingsResource, type EffectiveSettingView } from './settings.js';
import { statsResource, type OverviewStats } from './stats.js';
import { userIdentitiesResource } from './user-identities.js';
import type { LinkedIdentities } from '../../../modules/federation/index.js';
import type { AuditQueries } from '../../../modules/compliance/index.js';

export { ADMIN_PREFIX } from './kit/router.js';
export type { Authenticator } from './kit/authenticate.js';

export interface AdminApiDeps {
  issuer: string;
  /** The admin API's resource server identifier: the audience its tokens must carry. */
  audience: string;
  auth: Authenticator;
  audit: AuditTrail;
  users: UserAdministration;
  accountRecords: AccountRecordAdministration;
  roles: RoleAdministration;
  resourceServers: ResourceServerAdministration;
  clients: ClientAdministration;
  /** Reading the audit trail (search, export); exports are recorded in `audit`. */
  auditLog: AuditQueries & AuditVerification;
  webhooks: WebhookAdministration;
  /** The effective configuration, secrets already redacted (config/effective.ts). */
  settings: () => EffectiveSettingView[];
  /** Upstream identities linked to users (listed and unlinked per user). */
  linkedIdentities: LinkedIdentities;
  /** The overview's figures (sessions, outbox, audit chain status). */
  stats: OverviewStats;
}

function documentResource(document: () => unknown): AdminResource {
  return {
    tag: { name: 'meta', description: 'This description' },
    schemas: { OpenApiDocument: z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({}), paths: z.record(z.string(), z.unknown()) }) },
    operations: [
      operation({
        method: 'get',
        path: '/openapi.json',
        operationId: 'getOpenApiDocument',
        summary: 'This OpenAPI 3.1 document (public: it holds no data)',
        scope: null,
        responses: { 200: { description: 'The OpenAPI document', schema: 'OpenApiDocument' } },
        handle: async () => ({ status: 200, body: document() }),
      }),
    ],
  };
}

export interface AdminApi {
  /** Mount under ADMIN_PREFIX; answers every request it is given (unknown paths: 404 problem). */
  middleware: Koa.Middleware;
  document: Record<string, unknown>;
}

export function adminApi(deps: AdminApiDeps): AdminApi {
  let document: Record<string, unknown> = {};
  const RESOURCES: AdminResource[] = [
    documentResource(() => document),
    usersResource(deps.users),
    userSessionsResource(deps.accountRecords),
    userIdentitiesResource({ identities: deps.linkedIdentities, users: deps.users }),
    rolesResource(deps.roles),
    resourceServersResource(deps.resourceServers),
    clientsResource(deps.clients),
    auditResource({ queries: deps.auditLog, trail: deps.audit }),
    webhooksResource(deps.webhooks),
    settingsResource(deps.settings),
    statsResource(deps.stats),
  ];
  document = buildDocument(RESOURCES, { issuer: deps.issuer, audience: deps.audience, scopes: ADMIN_API_SCOPES });
  const router = buildRouter(RESOURCES, deps.auth, deps.audit);
  const middleware = compose([router.routes(), router.allowedMethods({ throw: true }), notFound]) as Koa.Middleware;
  return { middleware, document };
}
