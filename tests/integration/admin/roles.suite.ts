/** /roles and /resource-servers: CRUD with If-Match, permission checks, protected admin entries. */
import { describe, expect, it } from 'vitest';
import { API } from '../../helpers/provider.js';
import { AUDIENCE, type AdminTestContext } from './context.js';

type Role = { id: string; name: string; permissions: Array<{ resource: string; scope: string }> };
type Api = { identifier: string; name: string; scopes: Array<{ value: string }>; access_token_format: string; access_token_ttl: number | null };
type Page<T> = { items: T[]; next_cursor?: string };

export function rolesSuite(ctx: () => AdminTestContext) {
  describe('roles', () => {
    it('creates, reads, lists, renames and deletes a role with If-Match', async () => {
      const { api, tokens } = ctx();
      const created = await api.call<Role>('POST', '/roles', { token: tokens.writer, body: { name: 'order-viewer', permissions: [{ resource: API.identifier, scope: 'orders:read' }] } });
      expect(created.status).toBe(201);
      expect(created.body.permissions).toEqual([{ resource: API.identifier, scope: 'orders:read' }]);
      const read = await api.call<Role>('GET', `/roles/${created.body.id}`, { token: tokens.reader });
      expect(read.etag).toBe(created.etag);
      const list = await api.call<Page<Role>>('GET', '/roles?limit=1', { token: tokens.reader });
      expect(list.body.items).toHaveLength(1);
      expect(list.body.next_cursor).toBeTruthy();
      const second = await api.call<Page<Role>>('GET', `/roles?limit=100&cursor=${list.body.next_cursor}`, { token: tokens.reader });
      expect(second.body.items.map((r) => r.name)).not.toContain(list.body.items[0]!.name);

      const renamed = await api.call<Role>('PATCH', `/roles/${created.body.id}`, { token: tokens.writer, body: { name: 'order-reader', description: 'reads' }, ifMatch: created.etag });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('order-reader');
      expect((await api.call('PATCH', `/roles/${created.body.id}`, { token: tokens.writer, body: { description: 'x' }, ifMatch: created.etag })).status).toBe(412);
      expect((await api.call('PATCH', `/roles/${created.body.id}`, { token: tokens.writer, body: { name: 'order-manager' }, ifMatch: renamed.etag })).status).toBe(409);
      expect((await api.call('DELETE', `/roles/${created.body.id}`, { token: tokens.writer })).status).toBe(428);
      expect((await api.call('DELETE', `/roles/${created.body.id}`, { token: tokens.writer, ifMatch: renamed.etag })).status).toBe(204);
      expect((await api.call('GET', `/roles/${created.body.id}`, { token: tokens.reader })).status).toBe(404);
      expect((await api.call('PATCH', `/roles/${created.body.id}`, { token: tokens.writer, body: {}, ifMatch: renamed.etag })).status).toBe(404);
      expect((await api.call('DELETE', `/roles/${created.body.id}`, { token: tokens.writer, ifMatch: renamed.etag })).status).toBe(404);
    });

    it('refuses permissions no API defines, bad names and a taken name', async () => {
      const { api, tokens } = ctx();
      const bad = await api.call<{ errors: Array<{ field: string }> }>('POST', '/roles', {
        token: tokens.writer,
        body: { name: 'bad', permissions: [{ resource: 'https://nowhere.example', scope: 'x' }, { resource: API.identifier, scope: 'orders:delete' }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.field)).toEqual(['body.permissions.0.resource', 'body.permissions.1.scope']);
      expect((await api.call('POST', '/roles', { token: tokens.writer, body: { name: 'has space' } })).status).toBe(400);
      expect((await api.call('POST', '/roles', { token: tokens.writer, body: { name: 'order-manager' } })).status).toBe(409);
    });

    it('keeps the admin role: it cannot be renamed or deleted', async () => {
      const { api, tokens } = ctx();
      const all = await api.call<Page<Role>>('GET', '/roles?limit=100', { token: tokens.reader });
      const admin = all.body.items.find((r) => r.name === 'admin')!;
      expect(admin.permissions).toEqual([{ resource: AUDIENCE, scope: 'admin:read' }, { resource: AUDIENCE, scope: 'admin:write' }]);
      const read = await api.call<Role>('GET', `/roles/${admin.id}`, { token: tokens.reader });
      expect((await api.call('DELETE', `/roles/${admin.id}`, { token: tokens.writer, ifMatch: read.etag })).status).toBe(409);
      expect((await api.call('PATCH', `/roles/${admin.id}`, { token: tokens.writer, body: { name: 'root' }, ifMatch: read.etag })).status).toBe(409);
    });

    it('renaming a role changes the ETag of its holders', async () => {
      const { api, tokens } = ctx();
      const role = await api.call<Role>('POST', '/roles', { token: tokens.writer, body: { name: 'temp-role' } });
      const user = await api.call<{ id: string }>('POST', '/users', { token: tokens.writer, body: { username: 'holder', roles: ['temp-role'] } });
      await api.call('PATCH', `/roles/${role.body.id}`, { token: tokens.writer, body: { name: 'temp-role-2' }, ifMatch: role.etag });
      const after = await api.call<{ roles: string[] }>('GET', `/users/${user.body.id}`, { token: tokens.reader });
      expect(after.body.roles).toEqual(['temp-role-2']);
      expect(after.etag).not.toBe(user.etag);
    });
  });

  describe('resource servers', () => {
    const INVENTORY = 'https://inventory.example.com/api';
    const path = (id: string) => `/resource-servers/${encodeURIComponent(id)}`;

    it('registers an API with scopes, token format and lifetime, and changes it with If-Match', async () => {
      const { api, tokens } = ctx();
      const created = await api.call<Api>('POST', '/resource-servers', {
        token: tokens.writer,
        body: { identifier: INVENTORY, name: 'Inventory', scopes: [{ value: 'stock:read' }, { value: 'stock:write', description: 'Change stock' }], access_token_ttl: 300 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ identifier: INVENTORY, access_token_format: 'jwt', access_token_ttl: 300 });
      expect(created.headers.get('location')).toBe(`/admin/v1${path(INVENTORY)}`);
      expect((await api.call('POST', '/resource-servers', { token: tokens.writer, body: { identifier: INVENTORY, name: 'again' } })).status).toBe(409);
      const read = await api.call<Api>('GET', path(INVENTORY), { token: tokens.reader });
      expect(read.body).toEqual(created.body);

      const role = await api.call<Role>('POST', '/roles', {
        token: tokens.writer,
        body: { name: 'stock-keeper', permissions: [{ resource: INVENTORY, scope: 'stock:read' }, { resource: INVENTORY, scope: 'stock:write' }] },
      });
      const changed = await api.call<Api>('PATCH', path(INVENTORY), {
        token: tokens.writer,
        body: { scopes: [{ value: 'stock:read' }], access_token_format: 'opaque', access_token_ttl: null },
        ifMatch: created.etag,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ access_token_format: 'opaque', access_token_ttl: null, scopes: [{ value: 'stock:read', description: '' }] });
      // The removed scope is gone from the role, whose ETag changed with it.
      const roleAfter = await api.call<Role>('GET', `/roles/${role.body.id}`, { token: tokens.reader });
      expect(roleAfter.body.permissions).toEqual([{ resource: INVENTORY, scope: 'stock:read' }]);
      expect(roleAfter.etag).not.toBe(role.etag);

      expect((await api.call('PATCH', path(INVENTORY), { token: tokens.writer, body: { name: 'x' }, ifMatch: created.etag })).status).toBe(412);
      expect((await api.call('PATCH', path(INVENTORY), { token: tokens.writer, body: { access_token_ttl: 10 ** 6 }, ifMatch: changed.etag })).status).toBe(400);
      expect((await api.call('DELETE', path(INVENTORY), { token: tokens.writer, ifMatch: changed.etag })).status).toBe(204);
      expect((await api.call('GET', path(INVENTORY), { token: tokens.reader })).status).toBe(404);
      expect((await api.call<Role>('GET', `/roles/${role.body.id}`, { token: tokens.reader })).body.permissions).toEqual([]);
      expect((await api.call('PATCH', path(INVENTORY), { token: tokens.writer, body: {}, ifMatch: changed.etag })).status).toBe(404);
      expect((await api.call('DELETE', path(INVENTORY), { token: tokens.writer, ifMatch: changed.etag })).status).toBe(404);
    });

    it('refuses invalid definitions and a lifetime beyond the key rotation overlap', async () => {
      const { api, tokens } = ctx();
      const bad = await api.call<{ errors: Array<{ field: string }> }>('POST', '/resource-servers', {
        token: tokens.writer,
        body: { identifier: 'not a uri', name: '', scopes: [{ value: 'openid' }], access_token_format: 'paseto' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.identifier', 'body.name', 'body.scopes.0.value', 'body.access_token_format']));
      const long = await api.call('POST', '/resource-servers', { token: tokens.writer, body: { identifier: 'https://long.example', name: 'Long', access_token_ttl: 86_400 } });
      expect(long.status).toBe(400);
    });

    it('lists APIs and protects the admin API itself', async () => {
      const { api, tokens } = ctx();
      const list = await api.call<Page<Api>>('GET', '/resource-servers', { token: tokens.reader });
      expect(list.body.items.map((a) => a.identifier)).toEqual(expect.arrayContaining([API.identifier, AUDIENCE]));
      const admin = await api.call<Api>('GET', path(AUDIENCE), { token: tokens.reader });
      expect(admin.body.scopes.map((s) => s.value)).toEqual(['admin:read', 'admin:write']);
      expect((await api.call('PATCH', path(AUDIENCE), { token: tokens.writer, body: { scopes: [] }, ifMatch: admin.etag })).status).toBe(409);
      expect((await api.call('DELETE', path(AUDIENCE), { token: tokens.writer, ifMatch: admin.etag })).status).toBe(409);
    });
  });
}
