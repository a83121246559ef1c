/**
 * The "trust this device" cookie: a kit signed cookie (server/http/browser/signed-cookie.ts)
 * holding only a device id, its expiry (the device record's) inside the signature. The device
 * record (server side) binds it to one user and can be revoked; the cookie alone proves nothing.
 */
import type { Context } from 'koa';
import { readCookie, readLegacyCookie, writeCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';

// maxAgeMs is unused: every write names the device record's own expiry.
const COOKIE: CookieSpec = { name: 'trusted_device', path: '/interaction', maxAgeMs: 0 };

const isDeviceId = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined);

export function trustedDeviceId(ctx: Context): string | undefined {
  // A cookie from before the kit holds the bare id; its record's expiry still applies server side.
  return readCookie(ctx, COOKIE, isDeviceId) ?? isDeviceId(readLegacyCookie(ctx, COOKIE.name));
}

export function rememberTrustedDevice(ctx: Context, deviceId: string, expiresAt: number): void {
  writeCookie(ctx, COOKIE, deviceId, expiresAt);
}
