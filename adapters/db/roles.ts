/**
 * The roles table (with role_permissions and user_roles): one adapter for the seed's upserts,
 * the provider's permission lookups and administration's paged, compare-and-set changes.
 * Saving a role replaces its permissions in the same transaction.
 * @throws UniqueViolation for a name in use; StaleVersion / RecordMissing for compare-and-set misses.
 */
import type { Knex } from 'knex';
import type { Permission, Role, RoleRepository, RoleStore, Versioned } from '../../server/modules/permissions/index.js';
import { newId } from '../../server/shared/ids.js';
import { toPage } from '../../server/shared/pagination.js';
import { toCount } from './knex.js';
import { staleOrMissing, uniquely, whereVersion } from './versioned.js';

interface RoleRow {
  id: string;
  name: string;
  description: string;
  source: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

type PermissionRow = Permission & { role_id: string };

/** The one row mapper: a role row and its permission rows. */
function toRole(row: RoleRow, permissions: PermissionRow[]): Versioned<Role> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: permissions.filter((p) => p.role_id === row.id).map(({ resource, scope }) => ({ resource, scope })),
    version: row.version,
    source: row.source,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

async function withPermissions(db: Knex, rows: RoleRow[]): Promise<Array<Versioned<Role>>> {
  const ids = rows.map((r) => r.id);
  const permissions: PermissionRow[] = ids.length ? await db('role_permissions').whereIn('role_id', ids).orderBy(['resource', 'scope']).select('role_id', 'resource', 'scope') : [];
  return rows.map((row) => toRole(row, permissions));
}

async function replacePermissions(trx: Knex, id: string, permissions: Permission[]): Promise<void> {
  await trx('role_permissions').where({ role_id: id }).delete();
  if (permissions.length) await trx('role_permissions').insert(permissions.map((p) => ({ role_id: id, resource: p.resource, scope: p.scope })));
}

/** Holders of a role show its name: their representation changed. */
async function touchHolders(trx: Knex, roleIds: string[]): Promise<void> {
  await trx('users')
    .whereIn('id', trx('user_roles').whereIn('role_id', roleIds).select('user_id'))
    .update({ version: trx.raw('version + 1'), updated_at: trx.fn.now() });
}

const WHAT = 'role';

export function createRolesAdapter(knex: Knex): RoleRepository & RoleStore {
  const one = async (db: Knex, row: RoleRow) => (await withPermissions(db, [row]))[0]!;
  const exists = (db: Knex, id: string) => () => db('roles').where({ id }).first('id');
  return {
    async findByName(name) {
      const row: RoleRow | undefined = await knex('roles').where({ name }).first();
      return row ? one(knex, row) : undefined;
    },
    async findById(id) {
      const row: RoleRow | undefined = await knex('roles').where({ id }).first();
      return row ? one(knex, row) : undefined;
    },
    async list() {
      return withPermissions(knex, await knex('roles').orderBy('name'));
    },
    async listPage(page) {
      const query = knex('roles').orderBy('name').limit(page.limit + 1);
      if (page.after !== undefined) query.where('name', '>', page.after);
      const rows: RoleRow[] = await query;
      return toPage(await withPermissions(knex, rows), page.limit, (r) => r.name);
    },
    saveByName(role, source) {
      return knex.transaction(async (trx) => {
        const [row] = await trx('roles')
          .insert({ id: newId(), name: role.name, description: role.description, source })
          .onConflict('name')
          .merge({ description: role.description, updated_at: trx.fn.now(), version: trx.raw('roles.version + 1') })
          .returning('*');
        await replacePermissions(trx, (row as RoleRow).id, role.permissions);
        return one(trx, row as RoleRow);
      });
    },
    create: (role, source) =>
      uniquely(WHAT, () =>
        knex.transaction(async (trx) => {
          const [row] = await trx('roles').insert({ id: newId(), name: role.name, description: role.description, source }).returning('*');
          await replacePermissions(trx, (row as RoleRow).id, role.permissions);
          return one(trx, row as RoleRow);
        }),
      ),
    update: (id, versions, changes) =>
      uniquely(WHAT, () =>
        knex.transaction(async (trx) => {
          const patch: Record<string, unknown> = { updated_at: trx.fn.now(), version: trx.raw('version + 1') };
          if (changes.name !== undefined) patch.name = changes.name;
          if (changes.description !== undefined) patch.description = changes.description;
          const [row] = await whereVersion(trx('roles').where({ id }), versions).update(patch).returning('*');
          if (!row) return staleOrMissing(exists(trx, id), WHAT);
          if (changes.permissions) await replacePermissions(trx, id, changes.permissions);
          if (changes.name !== undefined) await touchHolders(trx, [id]);
          return one(trx, row as RoleRow);
        }),
      ),
    async delete(id, versions) {
      await knex.transaction(async (trx) => {
        await touchHolders(trx, [id]);
        const deleted = await whereVersion(trx('roles').where({ id }), versions).delete().returning('id');
        // Throwing rolls back the holders' version change too.
        if (!deleted.length) await staleOrMissing(exists(trx, id), WHAT);
      });
    },
    async setUserRoles(userId, roleIds) {
      await knex.transaction(async (trx) => {
        await trx('user_roles').where({ user_id: userId }).delete();
        if (roleIds.length) await trx('user_roles').insert(roleIds.map((roleId) => ({ user_id: userId, role_id: roleId })));
      });
    },
    async roleNamesOf(userId) {
      const rows: Array<{ name: string }> = await knex('user_roles').join('roles', 'roles.id', 'user_roles.role_id').where({ user_id: userId }).orderBy('roles.name').select('roles.name');
      return rows.map((r) => r.name);
    },
    async countHolders(name) {
      const row = await knex('user_roles').join('roles', 'roles.id', 'user_roles.role_id').where('roles.name', name).count<{ count: unknown }[]>('* as count').first();
      return toCount(row?.count);
    },
    async permissionsOf(userId) {
      return knex('user_roles')
        .join('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
        .where({ 'user_roles.user_id': userId })
        .distinct('role_permissions.resource', 'role_permissions.scope')
        .orderBy(['role_permissions.resource', 'role_permissions.scope']);
    },
    async grantedScopes(userId, resource) {
      const rows: Array<{ scope: string }> = await knex('user_roles')
        .join('role_permissions', 'role_permissions.role_id', 'user_roles.role_id')
        .where({ 'user_roles.user_id': userId, 'role_permissions.resource': resource })
        .distinct('role_permissions.scope');
      return rows.map((r) => r.scope);
    },
  };
}
