/** Roles, their permissions and users' roles in SQL. Saving a role replaces its permissions in one transaction. */
import type { Knex } from 'knex';
import type { Permission, Role, RoleRepository } from '../../server/modules/permissions/index.js';
import { newId } from '../../server/shared/ids.js';

async function permissionsOf(knex: Knex, roleId: string): Promise<Permission[]> {
  return knex('role_permissions').where({ role_id: roleId }).orderBy(['resource', 'scope']).select('resource', 'scope');
}

export function createRoleRepository(knex: Knex): RoleRepository {
  return {
    async findByName(name) {
      const row = await knex('roles').where({ name }).first('id', 'name', 'description');
      if (!row) return undefined;
      return { id: row.id, name: row.name, description: row.description, permissions: await permissionsOf(knex, row.id) };
    },
    async saveByName(role, source) {
      return knex.transaction(async (trx) => {
        const [row] = await trx('roles')
          .insert({ id: newId(), name: role.name, description: role.description, source })
          .onConflict('name')
          .merge({ description: role.description, updated_at: trx.fn.now(), version: trx.raw('roles.version + 1') })
          .returning(['id', 'name', 'description']);
        const id = (row as { id: string }).id;
        await trx('role_permissions').where({ role_id: id }).delete();
        if (role.permissions.length) {
          await trx('role_permissions').insert(role.permissions.map((p) => ({ role_id: id, resource: p.resource, scope: p.scope })));
        }
        return { id, name: role.name, description: role.description, permissions: [...role.permissions] } satisfies Role;
      });
    },
    async setUserRoles(userId, roleIds) {
      await knex.transaction(async (trx) => {
        await trx('user_roles').where({ user_id: userId }).delete();
        if (roleIds.length) await trx('user_roles').insert(roleIds.map((roleId) => ({ user_id: userId, role_id: roleId })));
      });
    },
    async roleNamesOf(userId) {
      const rows = await knex('user_roles').join('roles', 'roles.id', 'user_roles.role_id').where({ user_id: userId }).orderBy('roles.name').select('roles.name');
      return rows.map((r: { name: string }) => r.name);
    },
    async grantedScopes(userId, resource) {
      const rows = await knex('user_roles')
        .join('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
        .where({ 'user_roles.user_id': userId, 'role_permissions.resource': resource })
        .distinct('role_permissions.scope');
      return rows.map((r: { scope: string }) => r.scope);
    },
  };
}
