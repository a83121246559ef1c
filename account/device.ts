/**
 * The device cookie behind "new device" notices: a random id per browser, signed and HttpOnly,
 * kept 400 days (the longest Chrome allows). Called when a sign-in completes; the notice must
 * never stop a sign-in, so a failure is logged and the login goes on.
 */
import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { describeError } from '../server/shared/logger.js';
import { requestLog } from '../server/http/middleware/request-context.js';
import type { Renderer } from '../server/shared/rendering.js';
import { noteSignIn, type SelfServiceServices } from '../server/modules/self-service/index.js';
import { requestContext } from './page.js';

const COOKIE = 'device_id';
const MAX_AGE_MS = 400 * 24 * 60 * 60 * 1000;

export interface DeviceNoticeDeps {
  renderer: Renderer;
  services: SelfServiceServices;
  /** SIGNUP_ENABLED: the sign-in page links to sign-up. */
  registration?: boolean;
}

export async function noteDevice(ctx: Context, deps: DeviceNoticeDeps, userId: string): Promise<void> {
  try {
    let deviceId = ctx.cookies.get(COOKIE, { signed: true });
    if (!deviceId || deviceId.length > 64) {
      deviceId = randomBytes(16).toString('base64url');
      ctx.cookies.set(COOKIE, deviceId, { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: MAX_AGE_MS, overwrite: true });
    }
    const user = await deps.services.users.findById(userId);
    if (user) await noteSignIn(deps.services, user, deviceId, requestContext(ctx, deps.renderer));
  } catch (error) {
    requestLog(ctx)?.warn({ err: describeError(error) }, 'new-device check failed');
  }
}
