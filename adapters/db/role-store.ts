/** Roles for administration: pages by name, compare-and-set changes (see RoleStore). */
import type { Knex } from 'knex';
import { AppError } from '../../server/shared/errors.js';
import { newId } from '../../server/shared/ids.js';
import { toPage } from '../../server/shared/pagination.js';
import type { Permission, Role, RoleStore, Versioned } from '../../server/modules/permissions/index.js';
import { isUniqueViolation, missOrStale, whereVersion } from './versioned.js';

interface RoleRow {
  id: string;
  name: string;
  description: string;
  source: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const TAKEN = () => new AppError('conflict', 'a role with this name exists');

/** Holders of a role show its name: their representation changed. */
async function touchHolders(trx: Knex, roleIds: string[]): Promise<void> {
  await trx('users')
    .whereIn('id', trx('user_roles').whereIn('role_id', roleIds).select('user_id'))
    .update({ version: trx.raw('version + 1'), updated_at: trx.fn.now() });
}

export function createRoleStore(knex: Knex): RoleStore {
  const withPermissions = async (trx: Knex, rows: RoleRow[]): Promise<Array<Versioned<Role>>> => {
    const ids = rows.map((r) => r.id);
    const permissions = ids.length
      ? ((await trx('role_permissions').whereIn('role_id', ids).orderBy(['resource', 'scope']).select('role_id', 'resource', 'scope')) as Array<Permission & { role_id: string }>)
      : [];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      permissions: permissions.filter((p) => p.role_id === row.id).map(({ resource, scope }) => ({ resource, scope })),
      version: row.version,
      source: row.source,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
    }));
  };
  const one = async (trx: Knex, row: RoleRow) => (await withPermissions(trx, [row]))[0]!;
  const replacePermissions = async (trx: Knex, id: string, permissions: Permission[]) => {
    await trx('role_permissions').where({ role_id: id }).delete();
    if (permissions.length) await trx('role_permissions').insert(permissions.map((p) => ({ role_id: id, resource: p.resource, scope: p.scope })));
  };
  const conflictsAsTaken = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw TAKEN();
      throw error;
    }
  };

  return {
    async list(page) {
      const query = knex<RoleRow>('roles').orderBy('name').limit(page.limit + 1);
      if (page.after !== undefined) query.where('name', '>', page.after);
      const rows = (await query) as RoleRow[];
      return toPage(await withPermissions(knex, rows), page.limit, (r) => r.name);
    },
    async findById(id) {
      const row = (await knex<RoleRow>('roles').where({ id }).first()) as RoleRow | undefined;
      return row ? one(knex, row) : undefined;
    },
    create: (role, source) =>
      conflictsAsTaken(() =>
        knex.transaction(async (trx) => {
          const [row] = await trx('roles').insert({ id: newId(), name: role.name, description: role.description, source }).returning('*');
          await replacePermissions(trx, (row as RoleRow).id, role.permissions);
          return one(trx, row as RoleRow);
        }),
      ),
    update: (id, versions, changes) =>
      conflictsAsTaken(() =>
        knex.transaction(async (trx) => {
          const patch: Record<string, unknown> = { updated_at: trx.fn.now(), version: trx.raw('version + 1') };
          if (changes.name !== undefined) patch.name = changes.name;
          if (changes.description !== undefined) patch.description = changes.description;
          const [row] = await whereVersion(trx('roles').where({ id }), versions).update(patch).returning('*');
          if (!row) return missOrStale(() => trx('roles').where({ id }).first('id'), 'role');
          if (changes.permissions) await replacePermissions(trx, id, changes.permissions);
          if (changes.name !== undefined) await touchHolders(trx, [id]);
          return one(trx, row as RoleRow);
        }),
      ),
    async delete(id, versions) {
      await knex.transaction(async (trx) => {
        await touchHolders(trx, [id]);
        const deleted = await whereVersion(trx('roles').where({ id }), versions).delete().returning('id');
        // Rolls back the holders' version change too.
        if (!deleted.length) await missOrStale(() => trx('roles').where({ id }).first('id'), 'role');
      });
    },
  };
}
