/** APIs (resource servers) for administration: pages by identifier, compare-and-set changes (see ResourceServerStore). */
import { isStorableKey } from '../../server/shared/unicode.js';
import type { Knex } from 'knex';
import { AppError } from '../../server/shared/errors.js';
import { toPage } from '../../server/shared/pagination.js';
import type { ResourceServer, ResourceServerStore, Versioned } from '../../server/modules/permissions/index.js';
import { isUniqueViolation, missOrStale, whereVersion } from './versioned.js';

interface Row {
  identifier: string;
  name: string;
  scopes: ResourceServer['scopes'];
  access_token_format: 'jwt' | 'opaque';
  access_token_ttl: number | null;
  source: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const toServer = (row: Row): Versioned<ResourceServer> => ({
  identifier: row.identifier,
  name: row.name,
  scopes: row.scopes,
  accessTokenFormat: row.access_token_format,
  accessTokenTtl: row.access_token_ttl ?? undefined,
  version: row.version,
  source: row.source,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

/** Roles granting one of these (resource, scope) pairs show them: their representation changes. */
async function dropPermissions(trx: Knex, resource: string, keepScopes: string[] | undefined): Promise<void> {
  const affected = trx('role_permissions').where({ resource });
  if (keepScopes) affected.whereNotIn('scope', keepScopes);
  const roleIds = (await affected.clone().distinct('role_id')).map((r: { role_id: string }) => r.role_id);
  if (!roleIds.length) return;
  await trx('roles').whereIn('id', roleIds).update({ version: trx.raw('version + 1'), updated_at: trx.fn.now() });
  await affected.delete();
}

export function createResourceServerStore(knex: Knex): ResourceServerStore {
  return {
    async list(page) {
      const query = knex('resource_servers').orderBy('identifier').limit(page.limit + 1);
      if (page.after !== undefined) query.where('identifier', '>', page.after);
      return toPage(((await query) as Row[]).map(toServer), page.limit, (s) => s.identifier);
    },
    async find(identifier) {
      if (!isStorableKey(identifier)) return undefined;
      const row = (await knex('resource_servers').where({ identifier }).first()) as Row | undefined;
      return row ? toServer(row) : undefined;
    },
    async create(server, source) {
      try {
        const [row] = await knex('resource_servers')
          .insert({
            identifier: server.identifier,
            name: server.name,
            scopes: JSON.stringify(server.scopes),
            access_token_format: server.accessTokenFormat ?? 'jwt',
            access_token_ttl: server.accessTokenTtl ?? null,
            source,
          })
          .returning('*');
        return toServer(row as Row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('conflict', 'an API with this identifier exists');
        throw error;
      }
    },
    update(identifier, versions, changes) {
      return knex.transaction(async (trx) => {
        const patch: Record<string, unknown> = { updated_at: trx.fn.now(), version: trx.raw('version + 1') };
        if (changes.name !== undefined) patch.name = changes.name;
        if (changes.scopes !== undefined) patch.scopes = JSON.stringify(changes.scopes);
        if (changes.accessTokenFormat !== undefined) patch.access_token_format = changes.accessTokenFormat;
        if ('accessTokenTtl' in changes) patch.access_token_ttl = changes.accessTokenTtl ?? null;
        const [row] = await whereVersion(trx('resource_servers').where({ identifier }), versions).update(patch).returning('*');
        if (!row) return missOrStale(() => trx('resource_servers').where({ identifier }).first('identifier'), 'API');
        // A scope the API no longer defines is no longer a permission any role can grant.
        if (changes.scopes !== undefined) await dropPermissions(trx, identifier, changes.scopes.map((s) => s.value));
        return toServer(row as Row);
      });
    },
    async delete(identifier, versions) {
      await knex.transaction(async (trx) => {
        await dropPermissions(trx, identifier, undefined);
        const deleted = await whereVersion(trx('resource_servers').where({ identifier }), versions).delete().returning('identifier');
        if (!deleted.length) await missOrStale(() => trx('resource_servers').where({ identifier }).first('identifier'), 'API');
      });
    },
  };
}
