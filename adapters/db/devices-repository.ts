/** Known devices per account: an upsert that tells whether the device is new. */
import type { Knex } from 'knex';
import type { DeviceRepository } from '../../server/modules/self-service/index.js';

export function createDeviceRepository(knex: Knex): DeviceRepository {
  return {
    async remember(userId, deviceDigest, userAgent, now) {
      return knex.transaction(async (trx) => {
        const devices = await trx('known_devices').where({ user_id: userId }).select('device_digest');
        const isNew = !devices.some((d: { device_digest: string }) => d.device_digest === deviceDigest);
        await trx('known_devices')
          .insert({ user_id: userId, device_digest: deviceDigest, user_agent: userAgent, first_seen_at: now, last_seen_at: now })
          .onConflict(['user_id', 'device_digest'])
          .merge({ last_seen_at: now, user_agent: userAgent });
        return { isNew, hadDevices: devices.length > 0 };
      });
    },
  };
}
