/** APIs (resource servers) in SQL. */
import { isStorableKey } from '../../server/shared/unicode.js';
import type { Knex } from 'knex';
import type { ResourceServer, ResourceServerRepository } from '../../server/modules/permissions/index.js';

export function createResourceServerRepository(knex: Knex): ResourceServerRepository {
  return {
    async find(identifier) {
      if (!isStorableKey(identifier)) return undefined;
      const row = await knex('resource_servers').where({ identifier }).first();
      if (!row) return undefined;
      return { identifier: row.identifier, name: row.name, scopes: row.scopes, accessTokenTtl: row.access_token_ttl ?? undefined, accessTokenFormat: row.access_token_format };
    },
    async list() {
      const rows = await knex('resource_servers').orderBy('identifier');
      return rows.map((row) => ({
        identifier: row.identifier,
        name: row.name,
        scopes: row.scopes,
        accessTokenTtl: row.access_token_ttl ?? undefined,
        accessTokenFormat: row.access_token_format,
        source: row.source,
      }));
    },
    async save(server: ResourceServer, source: string) {
      const row = {
        identifier: server.identifier,
        name: server.name,
        scopes: JSON.stringify(server.scopes),
        access_token_format: server.accessTokenFormat ?? 'jwt',
        access_token_ttl: server.accessTokenTtl ?? null,
        source,
      };
      await knex('resource_servers').insert(row).onConflict('identifier').merge({ ...row, updated_at: knex.fn.now(), version: knex.raw('resource_servers.version + 1') });
    },
  };
}
