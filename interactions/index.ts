/**
 * The browser face of sign-in: one router for every interaction step. GET dispatches on the
 * prompt oidc-provider is waiting for; each step registers its own routes.
 */
import Router from '@koa/router';
import { assertCsrf } from '../server/http/browser/csrf.js';
import { registerConsent, showConsent, type ConsentDeps } from './consent.js';
import { registerFederation } from './federation.js';
import { registerLogin, showLogin, type LoginDeps } from './login.js';
import { registerMfa } from './mfa.js';
import { registerMfaEnrolment } from './mfa-enrol.js';
import { registerPasskeySignIn } from './passkey.js';
import { registerPasskeyOffer } from './passkey-offer.js';
import { finishSignIn } from './sign-in.js';
import { continueTo } from './page.js';
import { formBody, formParser } from '../server/http/browser/form-body.js';
import { registerPasswordChange } from './password-change.js';
import { registerRegistrationComplete } from './registration-complete.js';
import type { DeviceNoticeDeps } from '../account/device.js';
import { registerSelectAccount, showSelectAccount } from './select-account.js';

/** `selfService`: sign-up completion and new-device notices (absent: both off). */
export type InteractionDeps = LoginDeps & ConsentDeps & { selfService?: DeviceNoticeDeps };

export function interactionRoutes(deps: InteractionDeps): Router {
  const router = new Router();
  // Only under /interaction: a router-wide parser would also read the provider's own POST bodies
  // (token, introspection...), which oidc-provider must parse itself.
  router.use('/interaction', formParser());

  router.get('/interaction/:uid', async (ctx) => {
    const interaction = await deps.gateway.load(ctx, ctx.params.uid ?? '');
    if (interaction.prompt === 'login') return showLogin(ctx, deps, interaction);
    if (interaction.prompt === 'select_account') return showSelectAccount(ctx, deps, interaction);
    if (interaction.prompt === 'consent') return showConsent(ctx, deps, interaction);
    // prompt=create (OpenID Connect Prompt Create 1.0): sign-up, which continues this request once verified.
    if (interaction.prompt === 'create' && deps.selfService) return continueTo(ctx, `/account/register?interaction=${encodeURIComponent(interaction.uid)}`);
    // A prompt we do not handle must not leave the user stuck.
    continueTo(ctx, await deps.gateway.abort(ctx, 'login_required', `unsupported prompt ${interaction.prompt}`));
  });

  registerLogin(router, deps);
  registerFederation(router, deps);
  registerPasswordChange(router, deps);
  registerMfa(router, deps);
  if (deps.passkeys) registerPasskeySignIn(router, deps);
  if (deps.passkeyOffer) registerPasskeyOffer(router, { ...deps, passkeyOffer: deps.passkeyOffer }, (ctx, interaction, outcome) => finishSignIn(ctx, deps, interaction, outcome));
  registerMfaEnrolment(router, deps);
  registerSelectAccount(router, deps);
  registerConsent(router, deps);
  if (deps.selfService) registerRegistrationComplete(router, { ...deps, selfService: deps.selfService });

  router.post('/interaction/:uid/abort', async (ctx) => {
    await deps.gateway.load(ctx, ctx.params.uid ?? '');
    assertCsrf(ctx, formBody(ctx)?.csrf);
    continueTo(ctx, await deps.gateway.abort(ctx, 'access_denied', 'The user cancelled the sign-in.'));
  });

  return router;
}
