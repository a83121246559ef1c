/**
 * session_devices: the browser behind each provider session, by session uid. The other adapters
 * that end sessions (adapters/oidc account-artifacts.ts, account-records.ts) forget rows through
 * `forgetSessionDevices` and read them through `sessionDevicesOf`, on the same connection.
 */
import type { Knex } from 'knex';
import type { SessionDevice, SessionDeviceRepository } from '../../server/modules/self-service/index.js';

const TABLE = 'session_devices';

interface Row {
  session_uid: string;
  browser: string | null;
  os: string | null;
  network: string | null;
  created_at: Date | string;
  last_seen_at: Date | string;
}

/** Longest value kept in a text column: the domain writes short names, this only bounds a bug. */
const short = (value: string | undefined) => (value === undefined ? null : value.slice(0, 64));

const toDevice = (row: Row): SessionDevice => ({
  ...(row.browser ? { browser: row.browser } : {}),
  ...(row.os ? { os: row.os } : {}),
  ...(row.network ? { network: row.network } : {}),
  createdAt: new Date(row.created_at),
  lastSeenAt: new Date(row.last_seen_at),
});

/** The recorded browsers of these sessions (one statement), by uid. */
export async function sessionDevicesOf(knex: Knex, sessionUids: string[]): Promise<Map<string, SessionDevice>> {
  const uids = [...new Set(sessionUids.filter(Boolean))];
  if (!uids.length) return new Map();
  const rows = (await knex(TABLE).whereIn('session_uid', uids).select('session_uid', 'browser', 'os', 'network', 'created_at', 'last_seen_at')) as Row[];
  return new Map(rows.map((row) => [row.session_uid, toDevice(row)]));
}

/** @returns how many rows went. */
export async function forgetSessionDevices(knex: Knex, sessionUids: string[]): Promise<number> {
  const uids = [...new Set(sessionUids.filter(Boolean))];
  if (!uids.length) return 0;
  return knex(TABLE).whereIn('session_uid', uids).delete();
}

export function createSessionDeviceRepository(knex: Knex): SessionDeviceRepository {
  return {
    async recordSignIn(s) {
      const values = { browser: short(s.browser), os: short(s.os), network: short(s.network), last_seen_at: s.at, expires_at: s.expiresAt };
      await knex(TABLE)
        .insert({ session_uid: s.sessionUid, user_id: s.userId, created_at: s.at, ...values })
        // A session keeps its uid across sign-ins of the same account (oidc-provider ends it before
        // another account signs in), so the first sign-in's time is the session's created_at.
        .onConflict('session_uid')
        .merge({ user_id: s.userId, ...values });
    },
    async touch(s, staleBefore) {
      const changes = { last_seen_at: s.at, expires_at: s.expiresAt, ...(s.network ? { network: short(s.network) } : {}) };
      const count = await knex(TABLE).where({ session_uid: s.sessionUid, user_id: s.userId }).andWhere('last_seen_at', '<', staleBefore).update(changes);
      return count > 0;
    },
    findMany: (uids) => sessionDevicesOf(knex, uids),
    forget: (uids) => forgetSessionDevices(knex, uids),
    async purgeExpired(now, limit) {
      const due = knex(TABLE).where('expires_at', '<=', now).select('session_uid').limit(limit);
      return knex(TABLE).whereIn('session_uid', due).delete();
    },
  };
}
