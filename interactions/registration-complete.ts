/**
 * The end of a sign-up started from a sign-in page: once the new account's email is verified in
 * the browser that signed up, the pending authorization request continues signed in as that
 * account. Bound three ways: the interaction cookie (this browser, this request), the signed
 * sign-up cookie naming this interaction and account, and the account's verified email.
 */
import type Router from '@koa/router';
import type { InteractionGateway } from './gateway.js';
import { continueTo } from './page.js';
import type { DeviceNoticeDeps } from './self-service/device.js';
import { noteDevice } from './self-service/device.js';
import { readSignup, SIGNUP_COOKIE } from './self-service/registration.js';
import { clearCookie } from './self-service/signed-cookie.js';

export interface RegistrationCompleteDeps extends DeviceNoticeDeps {
  gateway: InteractionGateway;
}

export function registerRegistrationComplete(router: Router, deps: RegistrationCompleteDeps): void {
  router.get('/interaction/:uid/registered', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const signup = readSignup(ctx);
    const user = signup?.u ? await deps.services.users.findById(signup.u) : undefined;
    if (interaction.prompt !== 'login' || signup?.i !== interaction.uid || !user?.emailVerified || user.disabled) {
      return continueTo(ctx, `/interaction/${interaction.uid}`);
    }
    clearCookie(ctx, SIGNUP_COOKIE);
    await noteDevice(ctx, deps, user.id);
    continueTo(ctx, await deps.gateway.finishLogin(ctx, { accountId: user.id, amr: ['pwd'], remember: false }));
  });
}
