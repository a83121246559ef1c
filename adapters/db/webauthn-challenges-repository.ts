/**
 * WebAuthn challenges in SQL (runs without Redis): `take` deletes the row and returns it in one
 * statement, so of two requests with one challenge only one gets it.
 */
import type { Knex } from 'knex';
import type { WebAuthnChallengeStore } from '../../server/modules/auth/index.js';

interface Row {
  key: string;
  challenge: string;
  user_id: string | null;
  expires_at: Date | string;
}

// Abandoned challenges are removed a batch at a time on each write (as sign_in_flows does).
const PURGE_BATCH = 100;

export function createWebAuthnChallengeRepository(knex: Knex): WebAuthnChallengeStore {
  const table = () => knex<Row>('webauthn_challenges');
  return {
    async put(key, c) {
      const expired = table().select('key').where('expires_at', '<', new Date()).limit(PURGE_BATCH);
      await table().whereIn('key', expired).delete();
      await table()
        .insert({ key, challenge: c.challenge, user_id: c.userId ?? null, expires_at: new Date(c.expiresAt) })
        .onConflict('key')
        .merge();
    },
    async take(key, nowMs) {
      const [row] = await table().where({ key }).delete().returning(['challenge', 'user_id', 'expires_at']);
      if (!row || new Date(row.expires_at).getTime() <= nowMs) return undefined;
      return { challenge: row.challenge, ...(row.user_id ? { userId: row.user_id } : {}), expiresAt: new Date(row.expires_at).getTime() };
    },
  };
}
