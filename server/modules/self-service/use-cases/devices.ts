/**
 * "New device" notices: each browser carries a random device id in a long-lived cookie; an
 * account remembers digests of the ids that signed in to it. A sign-in from an id the account has
 * not seen — on an account that has signed in before — tells the owner by email, so a stolen
 * password that is used shows up in their inbox.
 */
import type { User } from '../../users/index.js';
import type { DeviceRepository, SecretDigester } from '../ports.js';
import { audit, type MessagingDeps, type RequestContext } from './context.js';

export interface DeviceDeps extends MessagingDeps {
  devices: DeviceRepository;
  digester: SecretDigester;
}

/** @returns whether the owner was told about a new device. */
export async function noteSignIn(deps: DeviceDeps, user: Pick<User, 'id' | 'username' | 'email'>, deviceId: string, context: RequestContext): Promise<boolean> {
  const now = deps.clock.now();
  const userAgent = (context.facts.userAgent ?? '').slice(0, 200);
  const { isNew, hadDevices } = await deps.devices.remember(user.id, deps.digester.digest(`device:${deviceId}`), userAgent, now);
  if (!isNew || !hadDevices) return false;
  await audit(deps.audit, context, { type: 'user.new_device', outcome: 'success', actor: { type: 'user', id: user.id }, subject: { type: 'user', id: user.id } });
  if (!user.email) return false;
  await deps.notifier.enqueue({
    channel: 'email',
    template: 'new-device',
    locale: context.locale,
    to: user.email,
    data: {
      username: user.username,
      time: now.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      device: userAgent || 'unknown',
      ip: context.facts.ip ?? 'unknown',
      accountLink: `${deps.settings.issuer}/account`,
      resetLink: `${deps.settings.issuer}/account/recover`,
    },
  });
  return true;
}
