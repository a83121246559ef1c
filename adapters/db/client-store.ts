/**
 * Clients for administration: pages by client_id, compare-and-set changes. Secrets are sealed
 * as in clients-repository.ts and never read back here. `onChange` lets the read cache in front
 * of the provider forget a client the moment it changes in this process.
 */
import { isStorableKey } from '../../server/shared/unicode.js';
import type { Knex } from 'knex';
import type { ClientStore, ManagedClient } from '../../server/modules/clients/index.js';
import { AppError } from '../../server/shared/errors.js';
import { toPage } from '../../server/shared/pagination.js';
import type { SecretSealer } from '../crypto/envelope.js';
import { clientSecretContext } from './clients-repository.js';
import { isUniqueViolation, missOrStale, whereVersion } from './versioned.js';

interface Row {
  client_id: string;
  metadata: Record<string, unknown>;
  secret_ciphertext: string | null;
  source: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const toClient = (row: Row): ManagedClient => ({
  clientId: row.client_id,
  metadata: row.metadata,
  hasSecret: row.secret_ciphertext !== null,
  source: row.source,
  version: row.version,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

export function createClientStore(knex: Knex, sealer: SecretSealer, onChange: (clientId: string) => void): ClientStore {
  const clients = () => knex<Row>('clients');
  const exists = (clientId: string) => () => clients().where({ client_id: clientId }).first('client_id');
  return {
    async list(page) {
      const query = clients().orderBy('client_id').limit(page.limit + 1);
      if (page.after !== undefined) query.where('client_id', '>', page.after);
      return toPage(((await query) as Row[]).map(toClient), page.limit, (c) => c.clientId);
    },
    async find(clientId) {
      if (!isStorableKey(clientId)) return undefined;
      const row = (await clients().where({ client_id: clientId }).first()) as Row | undefined;
      return row ? toClient(row) : undefined;
    },
    async create(client) {
      try {
        const [row] = await clients()
          .insert({
            client_id: client.clientId,
            metadata: JSON.stringify(client.metadata) as never,
            secret_ciphertext: client.secret ? sealer.seal(client.secret, clientSecretContext(client.clientId)) : null,
            source: client.source,
          })
          .returning('*');
        onChange(client.clientId);
        return toClient(row as Row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('conflict', 'a client with this client_id exists');
        throw error;
      }
    },
    async update(clientId, versions, change) {
      const patch: Record<string, unknown> = { updated_at: knex.fn.now(), version: knex.raw('version + 1') };
      if (change.metadata !== undefined) patch.metadata = JSON.stringify(change.metadata);
      if (change.secret !== undefined) patch.secret_ciphertext = change.secret === null ? null : sealer.seal(change.secret, clientSecretContext(clientId));
      const [row] = await whereVersion(clients().where({ client_id: clientId }), versions).update(patch).returning('*');
      onChange(clientId);
      if (!row) return missOrStale(exists(clientId), 'client');
      return toClient(row as Row);
    },
    async delete(clientId, versions) {
      const deleted = await whereVersion(clients().where({ client_id: clientId }), versions).delete().returning('client_id');
      onChange(clientId);
      if (!deleted.length) await missOrStale(exists(clientId), 'client');
    },
  };
}
