/**
 * The clients table: one adapter for the provider's reads (secret opened), the seed's upserts and
 * administration's paged, compare-and-set changes (secret never read back). Shared secrets are
 * sealed with the key-encryption key, bound to the client id.
 * @throws UniqueViolation for a client_id in use; StaleVersion / RecordMissing for compare-and-set misses.
 */
import type { Knex } from 'knex';
import { isStorableKey } from '../../server/shared/unicode.js';
import { allowedOrigins, type ClientRepository, type ClientStore, type ManagedClient, type StoredClient } from '../../server/modules/clients/index.js';
import { toPage } from '../../server/shared/pagination.js';
import type { SecretSealer } from '../crypto/envelope.js';
import { staleOrMissing, uniquely, whereVersion } from './versioned.js';

/** The sealing context of a client's secret: a ciphertext opens only for the client it was sealed for. */
export const clientSecretContext = (clientId: string) => `client-secret:${clientId}`;

interface Row {
  client_id: string;
  metadata: Record<string, unknown>;
  secret_ciphertext: string | null;
  source: string;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
}

/** The one row mapper: administration's view, without the secret. */
const toManaged = (row: Row): ManagedClient => ({
  clientId: row.client_id,
  metadata: row.metadata,
  hasSecret: row.secret_ciphertext !== null,
  source: row.source,
  version: row.version,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
});

const WHAT = 'client';

export function createClientsAdapter(knex: Knex, sealer: SecretSealer): ClientRepository & ClientStore {
  const clients = () => knex<Row>('clients');
  const seal = (clientId: string, secret: string | undefined) => (secret ? sealer.seal(secret, clientSecretContext(clientId)) : null);
  const exists = (clientId: string) => () => clients().where({ client_id: clientId }).first('client_id');
  return {
    async find(clientId) {
      // An id that cannot be stored (NUL, lone surrogate, over-long) names no row; Postgres would refuse it.
      if (!isStorableKey(clientId)) return undefined;
      const row = (await clients().where({ client_id: clientId }).first()) as Row | undefined;
      if (!row) return undefined;
      const { hasSecret: _h, version: _v, createdAt: _c, updatedAt: _u, ...client } = toManaged(row);
      return { ...client, secret: row.secret_ciphertext ? sealer.open(row.secret_ciphertext, clientSecretContext(clientId)) : undefined } satisfies StoredClient;
    },
    async findManaged(clientId) {
      // An id that cannot be stored (NUL, lone surrogate, over-long) names no row; Postgres would refuse it.
      if (!isStorableKey(clientId)) return undefined;
      const row = (await clients().where({ client_id: clientId }).first()) as Row | undefined;
      return row ? toManaged(row) : undefined;
    },
    async list() {
      const rows = (await clients().orderBy('client_id')) as Row[];
      return rows.map(toManaged).map(({ clientId, metadata, source, hasSecret }) => ({ clientId, metadata, source, hasSecret }));
    },
    async listPage(page) {
      const query = clients().orderBy('client_id').limit(page.limit + 1);
      if (page.after !== undefined) query.where('client_id', '>', page.after);
      return toPage(((await query) as Row[]).map(toManaged), page.limit, (c) => c.clientId);
    },
    async origins() {
      const rows = (await clients().select('metadata')) as Array<Pick<Row, 'metadata'>>;
      const all = new Set<string>();
      for (const row of rows) for (const origin of allowedOrigins(row.metadata)) all.add(origin);
      return all;
    },
    async save(client) {
      const row = { client_id: client.clientId, metadata: JSON.stringify(client.metadata), secret_ciphertext: seal(client.clientId, client.secret), source: client.source };
      await knex('clients').insert(row).onConflict('client_id').merge({ ...row, updated_at: knex.fn.now(), version: knex.raw('clients.version + 1') });
    },
    async delete(clientId) {
      await clients().where({ client_id: clientId }).delete();
    },
    create: (client) =>
      uniquely(WHAT, async () => {
        const [row] = await knex('clients')
          .insert({ client_id: client.clientId, metadata: JSON.stringify(client.metadata), secret_ciphertext: seal(client.clientId, client.secret), source: client.source })
          .returning('*');
        return toManaged(row as Row);
      }),
    async update(clientId, versions, change) {
      const patch: Record<string, unknown> = { updated_at: knex.fn.now(), version: knex.raw('version + 1') };
      if (change.metadata !== undefined) patch.metadata = JSON.stringify(change.metadata);
      if (change.secret !== undefined) patch.secret_ciphertext = change.secret === null ? null : seal(clientId, change.secret);
      const [row] = await whereVersion(knex('clients').where({ client_id: clientId }), versions).update(patch).returning('*');
      if (!row) return staleOrMissing(exists(clientId), WHAT);
      return toManaged(row as Row);
    },
    async remove(clientId, versions) {
      const deleted = await whereVersion(knex('clients').where({ client_id: clientId }), versions).delete().returning('client_id');
      if (!deleted.length) await staleOrMissing(exists(clientId), WHAT);
    },
  };
}
