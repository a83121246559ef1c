/** /roles: roles and the API permissions they bundle. Holders get a changed role at their next token. */
import { z } from 'zod';
import type { Role, RoleAdministration, Versioned } from '../../../modules/permissions/index.js';
import { decodeCursor } from '../../../shared/pagination.js';
import { operation, type AdminResource } from './kit/operation.js';
import { pageJson, pageQuery, pageSchema } from './kit/schemas.js';

const permissionSchema = z.object({ resource: z.string().min(1).max(2000), scope: z.string().min(1).max(200) }).strict();

const roleSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  permissions: z.array(permissionSchema),
  source: z.string().describe('Where the role came from: admin, seed, bootstrap'),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const roleJson = (role: Versioned<Role>): z.output<typeof roleSchema> => ({
  id: role.id,
  name: role.name,
  description: role.description,
  permissions: role.permissions,
  source: role.source,
  created_at: role.createdAt.toISOString(),
  updated_at: role.updatedAt.toISOString(),
});

const fields = {
  name: z.string().min(1).max(64),
  description: z.string().max(500),
  permissions: z.array(permissionSchema).max(500),
};
const rolePath = z.object({ roleId: z.string().min(1).max(100) });

export function rolesResource(roles: RoleAdministration): AdminResource {
  const ok = (role: Versioned<Role>, status = 200) => ({ status, body: roleJson(role), version: role.version });
  return {
    tag: { name: 'roles', description: 'Roles bundling API permissions' },
    schemas: { Role: roleSchema, RolePage: pageSchema(roleSchema) },
    operations: [
      operation({
        method: 'get',
        path: '/roles',
        operationId: 'listRoles',
        summary: 'List roles in order of name',
        scope: 'admin:read',
        query: z.object(pageQuery),
        responses: { 200: { description: 'A page of roles', schema: 'RolePage' } },
        async handle({ query }) {
          return { status: 200, body: pageJson(await roles.list({ limit: query.limit, after: decodeCursor(query.cursor) }), roleJson) };
        },
      }),
      operation({
        method: 'post',
        path: '/roles',
        operationId: 'createRole',
        summary: 'Create a role',
        scope: 'admin:write',
        body: z.object({ name: fields.name, description: fields.description.default(''), permissions: fields.permissions.default([]) }).strict(),
        responses: { 201: { description: 'The role', schema: 'Role', etag: true } },
        problems: [409],
        async handle({ body, by }) {
          const role = await roles.create(by, body);
          return { ...ok(role, 201), headers: { Location: `/admin/v1/roles/${role.id}` } };
        },
      }),
      operation({
        method: 'get',
        path: '/roles/{roleId}',
        operationId: 'getRole',
        summary: 'Read a role',
        scope: 'admin:read',
        params: rolePath,
        responses: { 200: { description: 'The role', schema: 'Role', etag: true } },
        problems: [404],
        handle: async ({ params }) => ok(await roles.get(params.roleId)),
      }),
      operation({
        method: 'patch',
        path: '/roles/{roleId}',
        operationId: 'updateRole',
        summary: 'Rename a role, change its description or replace its permissions',
        scope: 'admin:write',
        params: rolePath,
        body: z.object(fields).partial().strict(),
        ifMatch: true,
        responses: { 200: { description: 'The changed role', schema: 'Role', etag: true } },
        problems: [404, 409],
        handle: async ({ params, body, by, ifMatch }) => ok(await roles.update(by, params.roleId, ifMatch, body)),
      }),
      operation({
        method: 'delete',
        path: '/roles/{roleId}',
        operationId: 'deleteRole',
        summary: 'Delete a role (its holders lose it at their next token)',
        scope: 'admin:write',
        params: rolePath,
        ifMatch: true,
        responses: { 204: { description: 'Deleted' } },
        problems: [404, 409],
        async handle({ params, by, ifMatch }) {
          await roles.remove(by, params.roleId, ifMatch);
          return { status: 204 };
        },
      }),
    ],
  };
}
