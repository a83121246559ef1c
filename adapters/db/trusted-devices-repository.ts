/** Trusted devices in SQL; revocation stamps revoked_at so the account page can show history if it wants. */
import type { Knex } from 'knex';
import type { TrustedDevice, TrustedDeviceStore } from '../../server/modules/auth/index.js';

interface Row {
  id: string;
  user_id: string;
  label: string;
  created_at: Date | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
}

const toDevice = (row: Row): TrustedDevice => ({
  id: row.id,
  userId: row.user_id,
  label: row.label,
  createdAt: new Date(row.created_at).getTime(),
  expiresAt: new Date(row.expires_at).getTime(),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).getTime(),
});

export function createTrustedDeviceRepository(knex: Knex): TrustedDeviceStore {
  const table = () => knex<Row>('trusted_devices');
  return {
    async create(d) {
      await table().insert({ id: d.id, user_id: d.userId, label: d.label, created_at: new Date(d.createdAt), expires_at: new Date(d.expiresAt), revoked_at: null });
    },
    async find(id) {
      const row = await table().where({ id }).first();
      return row ? toDevice(row) : undefined;
    },
    async listFor(userId) {
      return (await table().where({ user_id: userId })).map(toDevice);
    },
    async revoke(userId, id, nowMs) {
      return (await table().where({ id, user_id: userId }).whereNull('revoked_at').update({ revoked_at: new Date(nowMs) })) === 1;
    },
    async revokeAll(userId, nowMs) {
      return table().where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: new Date(nowMs) });
    },
  };
}
