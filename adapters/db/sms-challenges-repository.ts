/** SMS code challenges in SQL. Consumption is one conditional UPDATE (unused, unexpired, within attempts, right hash). */
import type { Knex } from 'knex';
import type { SmsChallenge, SmsChallengeStore } from '../../server/modules/auth/index.js';

interface Row {
  id: string;
  user_id: string;
  code_hash: string;
  attempts: number;
  created_at: Date | string;
  expires_at: Date | string;
  consumed_at: Date | string | null;
}

const toChallenge = (row: Row): SmsChallenge => ({
  id: row.id,
  userId: row.user_id,
  codeHash: row.code_hash,
  attempts: row.attempts,
  createdAt: new Date(row.created_at).getTime(),
  expiresAt: new Date(row.expires_at).getTime(),
  consumedAt: row.consumed_at === null ? null : new Date(row.consumed_at).getTime(),
});

export function createSmsChallengeRepository(knex: Knex): SmsChallengeStore {
  const table = () => knex<Row>('mfa_sms_challenges');
  return {
    async create(c) {
      await table().insert({
        id: c.id,
        user_id: c.userId,
        code_hash: c.codeHash,
        attempts: c.attempts,
        created_at: new Date(c.createdAt),
        expires_at: new Date(c.expiresAt),
        consumed_at: c.consumedAt === null ? null : new Date(c.consumedAt),
      });
    },
    async find(id) {
      const row = await table().where({ id }).first();
      return row ? toChallenge(row) : undefined;
    },
    async latestFor(userId) {
      const row = await table().where({ user_id: userId }).orderBy('created_at', 'desc').first();
      return row ? toChallenge(row) : undefined;
    },
    async recordFailure(id) {
      await table().where({ id }).increment('attempts', 1);
    },
    async consume(id, hash, nowMs, maxAttempts) {
      const now = new Date(nowMs);
      const updated = await table()
        .where({ id, code_hash: hash })
        .whereNull('consumed_at')
        .where('expires_at', '>', now)
        .where('attempts', '<', maxAttempts)
        .update({ consumed_at: now });
      return updated === 1;
    },
  };
}
