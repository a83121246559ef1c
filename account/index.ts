/**
 * The self-service router, entered only under /account: sign-up, verification links, recovery,
 * the account pages and their sign-in. Forms are small url-encoded posts; CSRF is checked by
 * every POST handler.
 */
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { registerAccount } from './account.js';
import { registerAccountMfa } from './account-mfa.js';
import { registerAccountFederation } from './account-federation.js';
import { registerAccountSession } from './account-session.js';
import type { SelfServiceDeps } from './deps.js';
import { registerRecovery } from './recovery.js';
import { registerRegistration } from './registration.js';

export type { SelfServiceDeps, SelfServiceOptions } from './deps.js';
export { noteDevice, type DeviceNoticeDeps } from './device.js';

// Form posts are small; a tight limit keeps oversized bodies from costing memory.
const FORM_LIMIT = '16kb';

export function selfServiceRoutes(deps: SelfServiceDeps): Router {
  const router = new Router();
  router.use(bodyParser({ enableTypes: ['form'], formLimit: FORM_LIMIT }));
  registerAccountSession(router, deps);
  registerRegistration(router, deps);
  registerRecovery(router, deps);
  registerAccount(router, deps);
  registerAccountMfa(router, deps);
  registerAccountFederation(router, deps);
  return router;
}
