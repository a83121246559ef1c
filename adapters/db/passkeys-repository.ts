/** Passkeys in SQL, one row per WebAuthn credential; the counter moves by conditional update only. */
import type { Knex } from 'knex';
import type { Passkey, PasskeyStore } from '../../server/modules/auth/index.js';

interface Row {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: string | number;
  transports: string;
  aaguid: string;
  name: string;
  synced: boolean;
  backed_up: boolean;
  created_at: Date | string;
  last_used_at: Date | string | null;
}

const ms = (value: Date | string) => new Date(value).getTime();

function transports(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

function fromRow(row: Row): Passkey {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: transports(row.transports),
    aaguid: row.aaguid,
    name: row.name,
    synced: row.synced,
    backedUp: row.backed_up,
    createdAt: ms(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : ms(row.last_used_at),
  };
}

export function createPasskeyRepository(knex: Knex): PasskeyStore & { offerDeclined(userId: string): Promise<boolean>; declineOffer(userId: string, nowMs: number): Promise<void> } {
  const table = () => knex<Row>('passkeys');
  return {
    async create(p) {
      await table().insert({
        id: p.id,
        user_id: p.userId,
        credential_id: p.credentialId,
        public_key: p.publicKey,
        counter: p.counter,
        transports: JSON.stringify(p.transports),
        aaguid: p.aaguid,
        name: p.name,
        synced: p.synced,
        backed_up: p.backedUp,
        created_at: new Date(p.createdAt),
        last_used_at: p.lastUsedAt === null ? null : new Date(p.lastUsedAt),
      });
    },
    async listFor(userId) {
      return (await table().where({ user_id: userId }).orderBy([{ column: 'created_at' }, { column: 'id' }])).map(fromRow);
    },
    async findByCredentialId(credentialId) {
      const row = await table().where({ credential_id: credentialId }).first();
      return row ? fromRow(row) : undefined;
    },
    async recordUse(p, expectedCounter) {
      const changed = await table()
        .where({ id: p.id, counter: expectedCounter })
        .update({ counter: p.counter, backed_up: p.backedUp, last_used_at: p.lastUsedAt === null ? null : new Date(p.lastUsedAt) });
      return changed === 1;
    },
    async rename(userId, id, name) {
      return (await table().where({ user_id: userId, id }).update({ name })) === 1;
    },
    async delete(userId, id) {
      return (await table().where({ user_id: userId, id }).delete()) === 1;
    },
    async deleteAll(userId) {
      return table().where({ user_id: userId }).delete();
    },
    async offerDeclined(userId) {
      return !!(await knex('passkey_offers').where({ user_id: userId }).first());
    },
    async declineOffer(userId, nowMs) {
      await knex('passkey_offers').insert({ user_id: userId, declined_at: new Date(nowMs) }).onConflict('user_id').ignore();
    },
  };
}
