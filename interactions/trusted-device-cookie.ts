/**
 * The "trust this device" cookie: signed (so it cannot be forged), HttpOnly, Secure over https,
 * SameSite=Lax, and holding only a device id. The device record (server side) binds it to one
 * user and can be revoked; the cookie alone proves nothing.
 */
import type { Context } from 'koa';

const COOKIE = 'trusted_device';

export function trustedDeviceId(ctx: Context): string | undefined {
  return ctx.cookies.get(COOKIE, { signed: true }) || undefined;
}

export function rememberTrustedDevice(ctx: Context, deviceId: string, expiresAt: number): void {
  ctx.cookies.set(COOKIE, deviceId, {
    signed: true,
    httpOnly: true,
    secure: ctx.secure,
    sameSite: 'lax',
    path: '/interaction',
    expires: new Date(expiresAt),
    overwrite: true,
  });
}
