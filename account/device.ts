/**
 * The device cookie behind "new device" notices: a random id per browser in a kit signed cookie
 * (expiry inside the signature), kept 400 days (the longest Chrome allows). Called when a sign-in completes; the notice must
 * never stop a sign-in, so a failure is logged and the login goes on.
 */
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { describeError } from '../server/shared/logger.js';
import { requestLog } from '../server/http/middleware/request-context.js';
import type { Renderer } from '../server/shared/rendering.js';
import { noteSignIn, type SelfServiceServices } from '../server/modules/self-service/index.js';
import { requestContext } from './page.js';
import { readCookie, readLegacyCookie, writeCookie, type CookieSpec } from '../server/http/browser/signed-cookie.js';

const COOKIE: CookieSpec = { name: 'device_id', path: '/', maxAgeMs: 400 * 24 * 60 * 60 * 1000 };
const isDeviceId = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : undefined);

export interface DeviceNoticeDeps {
  renderer: Renderer;
  services: SelfServiceServices;
  /** SIGNUP_ENABLED: the sign-in page links to sign-up. */
  registration?: boolean;
  /** PASSWORD_RECOVERY_ENABLED: the sign-in page links to password recovery. */
  passwordRecovery?: boolean;
  /** NEW_DEVICE_EMAIL_ENABLED; off: no device cookie, no notice. */
  newDeviceEmail?: boolean;
}

export async function noteDevice(ctx: Context, deps: DeviceNoticeDeps, userId: string): Promise<void> {
  if (deps.newDeviceEmail === false) return;
  try {
    let deviceId = readCookie(ctx, COOKIE, isDeviceId);
    if (!deviceId) {
      // A cookie from before the kit keeps its id (the browser is not new), now with an expiry.
      deviceId = isDeviceId(readLegacyCookie(ctx, COOKIE.name)) ?? randomBytes(16).toString('base64url');
      writeCookie(ctx, COOKIE, deviceId);
    }
    const user = await deps.services.users.findById(userId);
    if (user) await noteSignIn(deps.services, user, deviceId, requestContext(ctx, deps.renderer));
  } catch (error) {
    requestLog(ctx)?.warn({ err: describeError(error) }, 'new-device check failed');
  }
}
