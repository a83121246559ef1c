/** Trusted devices: created after a full MFA sign-in, checked at the next, listed and revoked from /account. */
import { deviceLabel, isDeviceTrusted, type TrustedDevice } from '../domain/trusted-device.js';
import type { AuditTrail } from '../../compliance/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { TrustedDeviceStore } from '../ports.js';
import { recordFor, type AuditContext } from './mfa-audit.js';

export interface TrustedDeviceDeps {
  devices: TrustedDeviceStore;
  audit: AuditTrail;
  clock: Clock;
  newId(): string;
  /** How long a device stays trusted (MFA_TRUSTED_DEVICE_TTL). */
  ttlMs: number;
}

export async function trustDevice(deps: TrustedDeviceDeps, userId: string, userAgent: string | undefined, facts?: AuditContext): Promise<TrustedDevice> {
  const now = deps.clock.now().getTime();
  const device: TrustedDevice = { id: deps.newId(), userId, label: deviceLabel(userAgent), createdAt: now, expiresAt: now + deps.ttlMs, revokedAt: null };
  await deps.devices.create(device);
  await recordFor(deps.audit)('auth.trusted_device.created', 'success', userId, facts);
  return device;
}

export async function isTrustedDevice(deps: Pick<TrustedDeviceDeps, 'devices' | 'clock'>, userId: string, deviceId: string | undefined): Promise<boolean> {
  if (!deviceId) return false;
  return isDeviceTrusted(await deps.devices.find(deviceId), userId, deps.clock.now().getTime());
}

/** Live (unrevoked, unexpired) trusted devices of the user, newest first. */
export async function listTrustedDevices(deps: Pick<TrustedDeviceDeps, 'devices' | 'clock'>, userId: string): Promise<TrustedDevice[]> {
  const now = deps.clock.now().getTime();
  return (await deps.devices.listFor(userId)).filter((d) => isDeviceTrusted(d, userId, now)).sort((a, b) => b.createdAt - a.createdAt);
}

export async function revokeTrustedDevice(deps: TrustedDeviceDeps, userId: string, deviceId: string, facts?: AuditContext): Promise<boolean> {
  const revoked = await deps.devices.revoke(userId, deviceId, deps.clock.now().getTime());
  if (revoked) await recordFor(deps.audit)('auth.trusted_device.revoked', 'success', userId, facts);
  return revoked;
}

/** Ends the trust of every device of the user (e.g. after a password reset or "sign out everywhere"). */
export async function revokeAllTrustedDevices(deps: TrustedDeviceDeps, userId: string, facts?: AuditContext): Promise<number> {
  const count = await deps.devices.revokeAll(userId, deps.clock.now().getTime());
  if (count) await recordFor(deps.audit)('auth.trusted_device.revoked', 'success', userId, facts, { count });
  return count;
}
