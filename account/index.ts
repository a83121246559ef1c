/**
 * The self-service router, entered only under /account: sign-up, verification links, recovery,
 * the account pages and their sign-in. Forms are small url-encoded posts (the browser kit's parser); CSRF
 * is checked by every POST handler.
 */
import Router from '@koa/router';
import { formParser } from '../server/http/browser/form-body.js';
import { registerAccount } from './account.js';
import { registerAccountMfa } from './account-mfa.js';
import { registerAccountPasskeys } from './account-passkeys.js';
import { registerAccountFederation } from './account-federation.js';
import { registerAccountSession } from './account-session.js';
import type { SelfServiceDeps } from './deps.js';
import { registerRecovery } from './recovery.js';
import { registerRegistration } from './registration.js';

export type { SelfServiceDeps, SelfServiceOptions } from './deps.js';
export { noteDevice, type DeviceNoticeDeps } from './device.js';

export function selfServiceRoutes(deps: SelfServiceDeps): Router {
  const router = new Router();
  router.use(formParser());
  registerAccountSession(router, deps);
  registerRegistration(router, deps);
  if (deps.options.passwordRecovery) registerRecovery(router, deps);
  registerAccount(router, deps);
  registerAccountMfa(router, deps);
  registerAccountPasskeys(router, deps);
  registerAccountFederation(router, deps);
  return router;
}
