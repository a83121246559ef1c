/**
 * The admin console under /console: server-rendered pages (the browser kit: CSRF, signed
 * cookies, strict CSP without inline script) over the public admin API, signed in as a
 * backend-for-frontend (session.ts). Every page but sign-in needs a console session.
 */
import Router from '@koa/router';
import { formParser } from '../server/http/browser/form-body.js';
import type { ConsoleDeps } from './deps.js';
import { registerConsoleSession, requireSession } from './session.js';
import { registerUsers } from './users.js';
import { registerClients } from './clients.js';
import { registerRoles } from './roles.js';
import { registerApis } from './apis.js';
import { registerAudit } from './audit.js';
import { registerWebhooks } from './webhooks.js';
import { registerOverview } from './overview.js';
import { registerSettings } from './settings.js';

export type { ConsoleDeps, ConsoleOptions } from './deps.js';

export function consoleRoutes(deps: ConsoleDeps): Router {
  const router = new Router();
  router.use(formParser());
  registerConsoleSession(router, deps);
  const pages = new Router();
  pages.use(requireSession());
  registerOverview(pages, deps);
  registerUsers(pages, deps);
  registerClients(pages, deps);
  registerApis(pages, deps);
  registerRoles(pages, deps);
  registerAudit(pages, deps);
  registerWebhooks(pages, deps);
  registerSettings(pages, deps);
  router.use(pages.routes(), pages.allowedMethods());
  return router;
}
