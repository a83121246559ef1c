/**
 * Known devices per account: an upsert that tells whether the device is new, in one statement
 * (it runs on every completed sign-in). The CTEs all see the snapshot from before the upsert, so
 * `prior` is the account's devices as they were; a data-modifying CTE runs whether or not the
 * outer query reads it.
 */
import type { Knex } from 'knex';
import type { DeviceRepository } from '../../server/modules/self-service/index.js';

const REMEMBER = `
with prior as (select device_digest from known_devices where user_id = :userId),
upsert as (
  insert into known_devices (user_id, device_digest, user_agent, first_seen_at, last_seen_at)
  values (:userId, :deviceDigest, :userAgent, :now, :now)
  on conflict (user_id, device_digest) do update set last_seen_at = excluded.last_seen_at, user_agent = excluded.user_agent
  returning 1
)
select
  exists (select 1 from prior) as had_devices,
  not exists (select 1 from prior where device_digest = :deviceDigest) as is_new,
  (select count(*) from upsert) as upserted`;

export function createDeviceRepository(knex: Knex): DeviceRepository {
  return {
    async remember(userId, deviceDigest, userAgent, now) {
      const result = await knex.raw<{ rows: Array<{ had_devices: boolean; is_new: boolean }> }>(REMEMBER, { userId, deviceDigest, userAgent, now });
      const row = result.rows[0]!;
      return { isNew: row.is_new, hadDevices: row.had_devices };
    },
  };
}
