/**
 * The resource_servers table (APIs): one adapter for the seed's upserts, the provider's lookups
 * and administration's paged, compare-and-set changes.
 * @throws UniqueViolation for an identifier in use; StaleVersion / RecordMissing for compare-and-set misses.
 */
import type { Knex } from 'knex';
import { isStorableKey } from '../../server/shared/unicode.js';
import { toPage } from '../../server/shared/pagination.js';
import type { ResourceServer, ResourceServerRepository, ResourceServerStore, Versioned } from '../../server/modules/permissions/index.js';
import { staleOrMissing, uniquely, whereVersion } from './versioned.js';

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

/** The one row mapper. */
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

const toRow = (server: ResourceServer, source: string) => ({
  identifier: server.identifier,
  name: server.name,
  scopes: JSON.stringify(server.scopes),
  access_token_format: server.accessTokenFormat ?? 'jwt',
  access_token_ttl: server.accessTokenTtl ?? null,
  source,
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

const WHAT = 'API';

export function createResourceServersAdapter(knex: Knex): ResourceServerRepository & ResourceServerStore {
  const exists = (db: Knex, identifier: string) => () => db('resource_servers').where({ identifier }).first('identifier');
  return {
    async find(identifier) {
      // An identifier that cannot be stored (NUL, lone surrogate, over-long) names no row.
      if (!isStorableKey(identifier)) return undefined;
      const row: Row | undefined = await knex('resource_servers').where({ identifier }).first();
      return row ? toServer(row) : undefined;
    },
    async list() {
      const rows: Row[] = await knex('resource_servers').orderBy('identifier');
      return rows.map(toServer);
    },
    async listPage(page) {
      const query = knex('resource_servers').orderBy('identifier').limit(page.limit + 1);
      if (page.after !== undefined) query.where('identifier', '>', page.after);
      const rows: Row[] = await query;
      return toPage(rows.map(toServer), page.limit, (s) => s.identifier);
    },
    async save(server, source) {
      const row = toRow(server, source);
      await knex('resource_servers').insert(row).onConflict('identifier').merge({ ...row, updated_at: knex.fn.now(), version: knex.raw('resource_servers.version + 1') });
    },
    create: (server, source) =>
      uniquely(WHAT, async () => {
        const [row] = await knex('resource_servers').insert(toRow(server, source)).returning('*');
        return toServer(row as Row);
      }),
    update(identifier, versions, changes) {
      return knex.transaction(async (trx) => {
        const patch: Record<string, unknown> = { updated_at: trx.fn.now(), version: trx.raw('version + 1') };
        if (changes.name !== undefined) patch.name = changes.name;
        if (changes.scopes !== undefined) patch.scopes = JSON.stringify(changes.scopes);
        if (changes.accessTokenFormat !== undefined) patch.access_token_format = changes.accessTokenFormat;
        if ('accessTokenTtl' in changes) patch.access_token_ttl = changes.accessTokenTtl ?? null;
        const [row] = await whereVersion(trx('resource_servers').where({ identifier }), versions).update(patch).returning('*');
        if (!row) return staleOrMissing(exists(trx, identifier), WHAT);
        // A scope the API no longer defines is no longer a permission any role can grant.
        if (changes.scopes !== undefined) await dropPermissions(trx, identifier, changes.scopes.map((s) => s.value));
        return toServer(row as Row);
      });
    },
    async delete(identifier, versions) {
      await knex.transaction(async (trx) => {
        await dropPermissions(trx, identifier, undefined);
        const deleted = await whereVersion(trx('resource_servers').where({ identifier }), versions).delete().returning('identifier');
        if (!deleted.length) await staleOrMissing(exists(trx, identifier), WHAT);
      });
    },
  };
}
