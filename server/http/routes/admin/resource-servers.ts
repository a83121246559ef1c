/**
 * /resource-servers: the APIs tokens can be issued for (RFC 8707 resource indicators), their
 * permission scopes, token format and lifetime. The identifier (an absolute URI) is the path
 * parameter, percent-encoded.
 */
import { z } from 'zod';
import { ACCESS_TOKEN_FORMATS, resourceServerSchema, type ResourceServer, type ResourceServerAdministration, type Versioned } from '../../../modules/permissions/index.js';
import { decodeCursor } from '../../../shared/pagination.js';
import { operation, type AdminResource } from './kit/operation.js';
import { pageJson, pageQuery, pageSchema } from './kit/schemas.js';

const scopeSchema = z.object({ value: z.string(), description: z.string() });

const apiSchema = z.object({
  identifier: z.string(),
  name: z.string(),
  scopes: z.array(scopeSchema),
  access_token_format: z.enum(ACCESS_TOKEN_FORMATS),
  access_token_ttl: z.number().int().nullable().describe('Seconds; null: the provider default'),
  source: z.string(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const apiJson = (api: Versioned<ResourceServer>): z.output<typeof apiSchema> => ({
  identifier: api.identifier,
  name: api.name,
  scopes: api.scopes,
  access_token_format: api.accessTokenFormat ?? 'jwt',
  access_token_ttl: api.accessTokenTtl ?? null,
  source: api.source,
  created_at: api.createdAt.toISOString(),
  updated_at: api.updatedAt.toISOString(),
});

// The seed's definition (permissions/domain/resource-server.ts) plus the token format.
const base = resourceServerSchema.extend({ access_token_format: z.enum(ACCESS_TOKEN_FORMATS).default('jwt') });
const createBody = base.extend({ scopes: base.shape.scopes.unwrap().max(200).default([]) });
const patchBody = z
  .object({
    name: base.shape.name,
    scopes: base.shape.scopes.unwrap().max(200),
    access_token_format: z.enum(ACCESS_TOKEN_FORMATS),
    access_token_ttl: base.shape.access_token_ttl.unwrap().nullable(),
  })
  .partial()
  .strict();
const apiPath = z.object({ identifier: z.string().min(1).max(2000).describe('The API identifier, percent-encoded') });

export function resourceServersResource(apis: ResourceServerAdministration): AdminResource {
  const ok = (api: Versioned<ResourceServer>, status = 200) => ({ status, body: apiJson(api), version: api.version });
  return {
    tag: { name: 'resource servers', description: 'APIs, their permission scopes and tokens' },
    schemas: { ResourceServer: apiSchema, ResourceServerPage: pageSchema(apiSchema) },
    operations: [
      operation({
        method: 'get',
        path: '/resource-servers',
        operationId: 'listResourceServers',
        summary: 'List APIs in order of identifier',
        scope: 'admin:read',
        query: z.object(pageQuery),
        responses: { 200: { description: 'A page of APIs', schema: 'ResourceServerPage' } },
        async handle({ query }) {
          return { status: 200, body: pageJson(await apis.list({ limit: query.limit, after: decodeCursor(query.cursor) }), apiJson) };
        },
      }),
      operation({
        method: 'post',
        path: '/resource-servers',
        operationId: 'createResourceServer',
        summary: 'Register an API',
        scope: 'admin:write',
        body: createBody,
        responses: { 201: { description: 'The API', schema: 'ResourceServer', etag: true } },
        problems: [409],
        async handle({ body, by }) {
          const api = await apis.create(by, {
            identifier: body.identifier,
            name: body.name,
            scopes: body.scopes,
            accessTokenTtl: body.access_token_ttl,
            accessTokenFormat: body.access_token_format,
          });
          return { ...ok(api, 201), headers: { Location: `/admin/v1/resource-servers/${encodeURIComponent(api.identifier)}` } };
        },
      }),
      operation({
        method: 'get',
        path: '/resource-servers/{identifier}',
        operationId: 'getResourceServer',
        summary: 'Read an API',
        scope: 'admin:read',
        params: apiPath,
        responses: { 200: { description: 'The API', schema: 'ResourceServer', etag: true } },
        problems: [404],
        handle: async ({ params }) => ok(await apis.get(params.identifier)),
      }),
      operation({
        method: 'patch',
        path: '/resource-servers/{identifier}',
        operationId: 'updateResourceServer',
        summary: 'Change an API: name, scopes (replaced as a whole), token format or lifetime',
        description: 'A scope removed is removed from every role granting it.',
        scope: 'admin:write',
        params: apiPath,
        body: patchBody,
        ifMatch: true,
        responses: { 200: { description: 'The changed API', schema: 'ResourceServer', etag: true } },
        problems: [404, 409],
        async handle({ params, body, by, ifMatch }) {
          const api = await apis.update(by, params.identifier, ifMatch, {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.scopes !== undefined ? { scopes: body.scopes } : {}),
            ...(body.access_token_format !== undefined ? { accessTokenFormat: body.access_token_format } : {}),
            ...(body.access_token_ttl !== undefined ? { accessTokenTtl: body.access_token_ttl ?? undefined } : {}),
          });
          return ok(api);
        },
      }),
      operation({
        method: 'delete',
        path: '/resource-servers/{identifier}',
        operationId: 'deleteResourceServer',
        summary: 'Delete an API and every role permission for it',
        scope: 'admin:write',
        params: apiPath,
        ifMatch: true,
        responses: { 204: { description: 'Deleted' } },
        problems: [404, 409],
        async handle({ params, by, ifMatch }) {
          await apis.remove(by, params.identifier, ifMatch);
          return { status: 204 };
        },
      }),
    ],
  };
}
