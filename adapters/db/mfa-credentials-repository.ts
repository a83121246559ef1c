/**
 * TOTP and recovery-code credentials in the `credentials` table (one of each per user, unique
 * partial indexes). The TOTP secret column holds the sealed secret; recovery codes keep their
 * keyed hashes in `data`. Accepting a TOTP step and consuming a recovery code are single
 * conditional UPDATEs, so concurrent uses of one code cannot both succeed.
 */
import type { Knex } from 'knex';
import type { MfaCredentialStore, RecoveryCodesRecord, TotpRecord } from '../../server/modules/auth/index.js';
import { newId } from '../../server/shared/ids.js';

type TotpData = Omit<TotpRecord, 'sealedSecret'>;

export function createMfaCredentialRepository(knex: Knex): MfaCredentialStore {
  const upsert = (userId: string, type: 'totp' | 'recovery_codes', secret: string, data: unknown) =>
    knex('credentials')
      .insert({ id: newId(), user_id: userId, type, secret, data: JSON.stringify(data) })
      .onConflict(knex.raw(`(user_id) WHERE type = '${type}'`))
      .merge({ secret, data: JSON.stringify(data), updated_at: knex.fn.now() });
  // RETURNING rather than the affected-row count: the PGlite dialect does not report counts for DELETE.
  const remove = async (userId: string, type: string) => (await knex('credentials').where({ user_id: userId, type }).delete().returning('id')).length > 0;

  const toTotp = (row: { secret: string; data: unknown }): TotpRecord => {
    const data = row.data as TotpData;
    return { ...data, lastStep: data.lastStep ?? null, activatedAt: data.activatedAt ?? null, sealedSecret: row.secret };
  };

  return {
    async findTotp(userId) {
      const row = await knex('credentials').where({ user_id: userId, type: 'totp' }).first('secret', 'data');
      return row ? toTotp(row) : undefined;
    },
    async findFactors(userId) {
      const rows = (await knex('credentials').where({ user_id: userId }).whereIn('type', ['totp', 'recovery_codes']).select('type', 'secret', 'data')) as Array<{ type: string; secret: string; data: unknown }>;
      const totp = rows.find((r) => r.type === 'totp');
      const codes = rows.find((r) => r.type === 'recovery_codes');
      return { totp: totp ? toTotp(totp) : undefined, recoveryCodes: codes ? (codes.data as RecoveryCodesRecord) : undefined };
    },
    async saveTotp(userId, record) {
      const { sealedSecret, ...data } = record;
      await upsert(userId, 'totp', sealedSecret, data);
    },
    async acceptTotpStep(userId, step) {
      const updated = await knex('credentials')
        .where({ user_id: userId, type: 'totp' })
        .whereRaw("data->>'status' = 'active'")
        .whereRaw("(data->>'lastStep' IS NULL OR (data->>'lastStep')::bigint < ?)", [step])
        .update({ data: knex.raw("jsonb_set(data, '{lastStep}', to_jsonb(?::bigint))", [step]), updated_at: knex.fn.now() });
      return updated === 1;
    },
    deleteTotp: (userId) => remove(userId, 'totp'),
    async findRecoveryCodes(userId) {
      const row = await knex('credentials').where({ user_id: userId, type: 'recovery_codes' }).first('data');
      return row ? (row.data as RecoveryCodesRecord) : undefined;
    },
    async saveRecoveryCodes(userId, record) {
      // The secret column names the hash scheme; the hashes themselves are in data.
      await upsert(userId, 'recovery_codes', 'hmac-sha256', record);
    },
    async consumeRecoveryCode(userId, hash) {
      const updated = await knex('credentials')
        .where({ user_id: userId, type: 'recovery_codes' })
        .whereRaw("data->'hashes' @> jsonb_build_array(?::text)", [hash])
        .update({ data: knex.raw("jsonb_set(data, '{hashes}', (data->'hashes') - ?::text)", [hash]), updated_at: knex.fn.now() });
      return updated === 1;
    },
    deleteRecoveryCodes: (userId) => remove(userId, 'recovery_codes'),
  };
}
