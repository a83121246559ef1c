/**
 * The end of a sign-up started from a sign-in page: once the new account's email is verified in
 * the browser that signed up, the pending authorization request continues signed in as that
 * account (through the same MFA policy as any sign-in). Bound three ways: the interaction cookie (this browser, this request), the signed
 * sign-up cookie naming this interaction and account, and the account's verified email.
 */
import type Router from '@koa/router';
import { continueTo } from './page.js';
import type { DeviceNoticeDeps } from '../account/device.js';
import { follow, isOnward, signInRequest, type SignInDeps } from './sign-in.js';
import { readSignup, SIGNUP_COOKIE } from '../account/registration.js';
import { clearCookie } from '../server/http/browser/signed-cookie.js';

export interface RegistrationCompleteDeps extends SignInDeps {
  selfService: DeviceNoticeDeps;
}

export function registerRegistrationComplete(router: Router, deps: RegistrationCompleteDeps): void {
  router.get('/interaction/:uid/registered', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    const signup = readSignup(ctx);
    const user = signup?.u ? await deps.selfService.services.users.findById(signup.u) : undefined;
    // `create`: the sign-up was asked for with prompt=create; `login`: started from the sign-in page.
    if ((interaction.prompt !== 'login' && interaction.prompt !== 'create') || signup?.i !== interaction.uid || !user?.emailVerified || user.disabled) {
      return continueTo(ctx, `/interaction/${interaction.uid}`);
    }
    clearCookie(ctx, SIGNUP_COOKIE);
    // The new password was just chosen: the sign-in goes on as after a password, so the MFA
    // policy (a client requiring enrolment) applies to a brand-new account too.
    const outcome = await deps.signIn.afterNewAccount(signInRequest(ctx, interaction), user.id);
    if (isOnward(outcome)) return follow(ctx, deps, interaction, outcome);
    continueTo(ctx, `/interaction/${interaction.uid}`);
  });
}
