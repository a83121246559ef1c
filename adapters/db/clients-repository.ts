/** Clients in SQL; shared secrets are sealed with the key-encryption key, bound to the client id. */
import { isStorableKey } from '../../server/shared/unicode.js';
import type { Knex } from 'knex';
import { allowedOrigins, type ClientRepository, type StoredClient } from '../../server/modules/clients/index.js';
import type { SecretSealer } from '../crypto/envelope.js';

/** The sealing context of a client's secret: a ciphertext opens only for the client it was sealed for. */
export const clientSecretContext = (clientId: string) => `client-secret:${clientId}`;
const context = clientSecretContext;

export function createClientRepository(knex: Knex, sealer: SecretSealer): ClientRepository {
  return {
    async find(clientId) {
      if (!isStorableKey(clientId)) return undefined;
      const row = await knex('clients').where({ client_id: clientId }).first();
      if (!row) return undefined;
      return {
        clientId: row.client_id,
        metadata: row.metadata,
        secret: row.secret_ciphertext ? sealer.open(row.secret_ciphertext, context(clientId)) : undefined,
        source: row.source,
      };
    },
    async save(client: StoredClient) {
      const row = {
        client_id: client.clientId,
        metadata: JSON.stringify(client.metadata),
        secret_ciphertext: client.secret ? sealer.seal(client.secret, context(client.clientId)) : null,
        source: client.source,
      };
      await knex('clients').insert(row).onConflict('client_id').merge({ ...row, updated_at: knex.fn.now(), version: knex.raw('clients.version + 1') });
    },
    async list() {
      const rows = await knex('clients').orderBy('client_id').select('client_id', 'metadata', 'source', knex.raw('secret_ciphertext IS NOT NULL AS has_secret'));
      return rows.map((row: { client_id: string; metadata: Record<string, unknown>; source: string; has_secret: boolean }) => ({
        clientId: row.client_id,
        metadata: row.metadata,
        source: row.source,
        hasSecret: row.has_secret,
      }));
    },
    async delete(clientId) {
      await knex('clients').where({ client_id: clientId }).delete();
    },
    async origins() {
      const rows = (await knex('clients').select('metadata')) as Array<{ metadata: { redirect_uris?: string[]; web_origins?: string[] } }>;
      const all = new Set<string>();
      for (const row of rows) for (const origin of allowedOrigins(row.metadata)) all.add(origin);
      return all;
    },
  };
}
