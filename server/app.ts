/**
 * The Koa application and its middleware order:
 *   request id + access log → metrics → problem details → security headers → HTML 404 page → health, assets →
 *   token rate limit → admin API (/admin/v1) → interactions → self-service (/account) → admin console (/console) →
 *   / and the demo sign-in → oidc-provider (mounted last, at the root).
 * The provider is reached through a getter so a rotated key set can swap it in without a restart.
 */
import Koa from 'koa';
import mount from 'koa-mount';
import compose from 'koa-compose';
import type { Provider } from 'oidc-provider';
import { interactionRoutes, type InteractionDeps } from '../interactions/index.js';
import type { Logger } from './shared/logger.js';
import { problemDetails } from './http/middleware/problem-details.js';
import { providerOutages } from './oidc/outage.js';
import { requestContext } from './http/middleware/request-context.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { corsPreflightGate } from './http/middleware/cors-preflight.js';
import { tokenRateLimit, type TokenLimiters } from './http/middleware/token-rate-limit.js';
import { adminApi, ADMIN_PREFIX, type AdminApiDeps } from './http/routes/admin/index.js';
import { assetRoutes } from './http/routes/assets.js';
import { apiDocsRoutes } from './http/routes/api-docs.js';
import { healthRoutes, type ReadinessCheck } from './http/routes/health.js';
import { httpMetrics } from './http/middleware/http-metrics.js';
import { metricsRoute } from './http/routes/metrics.js';
import type { Metrics, MetricsExposition } from './shared/metrics.js';
import { notificationCallbackRoutes, type CallbackDeps } from './http/routes/notification-callbacks.js';
import type { Renderer } from './shared/rendering.js';
import { selfServiceRoutes, type SelfServiceDeps } from '../account/index.js';
import { consoleRoutes, type ConsoleDeps } from '../console/index.js';
import { allowedMethods } from './http/middleware/allowed-methods.js';
import { homeRoutes, type HomeDeps } from './http/routes/home.js';
import { htmlNotFound } from './http/middleware/not-found.js';
import { grantErrorExplanations } from './oidc/development-errors.js';
import type { Asset } from './http/routes/assets.js';
import { deviceCodeGuesses, type DeviceGuessLimiters } from './http/middleware/device-code-guesses.js';
import type { AuditTrail } from './modules/compliance/index.js';
import { documentCache } from './http/middleware/document-cache.js';

export interface AppDeps {
  logger: Logger;
  renderer: Renderer;
  trustProxy: boolean;
  hsts: boolean;
  cookieKeys: string[];
  provider: () => Provider;
  interactions: InteractionDeps;
  selfService: SelfServiceDeps;
  /** The admin console at /console (CONSOLE_ENABLED); absent: not mounted. */
  console?: ConsoleDeps;
  tokenLimiters: TokenLimiters;
  isRegisteredOrigin(origin: string): Promise<boolean>;
  readiness: ReadinessCheck[];
  isShuttingDown: () => boolean;
  adminApi: AdminApiDeps;
  metrics: Metrics;
  /** Serve /metrics (METRICS_ENABLED), behind a bearer token when one is configured. */
  metricsEndpoint?: { exposition: MetricsExposition; token: string | undefined };
  /** Retry-After of the 503 answered while Postgres or Redis is unreachable (OUTAGE_RETRY_AFTER). */
  outageRetryAfterSeconds?: number;
  /** Provider delivery-status callbacks (Twilio, SES via SNS); absent: not mounted. */
  notificationCallbacks?: CallbackDeps;
  /** `/` and, in development, the demo sign-in. */
  home: HomeDeps;
  /** Development: invalid_grant answers say which (server/oidc/development-errors.ts). */
  explainGrantErrors?: boolean;
  /** Assets the configuration made (theme, operator stylesheet). */
  assets?: ReadonlyMap<string, Asset>;
  /** Wrong user codes at the device page (RFC 8628 §5.1), limited per IP and overall. */
  deviceGuesses?: { limiters: DeviceGuessLimiters; audit: AuditTrail };
}

/** The provider's endpoints that answer browsers cross-origin (oidc-provider's clientBasedCORS routes). */
const CORS_PATHS = ['/token', '/me', '/token/introspection', '/token/revocation'];

function onlyUnder(prefixes: string[], middleware: Koa.Middleware): Koa.Middleware {
  return (ctx, next) => (prefixes.some((prefix) => ctx.path.startsWith(prefix)) ? middleware(ctx, next) : next());
}

export function buildApp(deps: AppDeps): Koa {
  // maxIpsCount 1: only the address our own proxy appended to X-Forwarded-For is trusted; the
  // entries before it are whatever the caller sent.
  const app = new Koa({ proxy: deps.trustProxy, maxIpsCount: 1, keys: deps.cookieKeys });
  const health = healthRoutes(deps.readiness, deps.isShuttingDown);
  const assets = assetRoutes(deps.assets);
  const home = homeRoutes(deps.home);
  const interactions = interactionRoutes(deps.interactions);
  const admin = adminApi(deps.adminApi);
  const selfService = selfServiceRoutes(deps.selfService);

  let mounted: { provider: Provider; middleware: Koa.Middleware } | undefined;
  const providerMiddleware: Koa.Middleware = (ctx, next) => {
    const provider = deps.provider();
    if (mounted?.provider !== provider) mounted = { provider, middleware: mount(provider) as Koa.Middleware };
    return mounted.middleware(ctx, next);
  };

  app.use(requestContext(deps.logger));
  // Timing every request costs on the hot path; only worth it when something scrapes /metrics.
  if (deps.metricsEndpoint) app.use(httpMetrics(deps.metrics));
  const retryAfter = deps.outageRetryAfterSeconds ?? 5;
  app.use(problemDetails(deps.renderer, [`${ADMIN_PREFIX}/`], retryAfter));
  app.use(securityHeaders({ hsts: deps.hsts, apiPaths: [...CORS_PATHS, '/jwks', '/.well-known/openid-configuration'] }));
  app.use(htmlNotFound(deps.renderer));
  // Each router is entered only under its own paths: every other request (all protocol traffic)
  // goes to the provider without paying for route matching it cannot need.
  app.use(onlyUnder(['/healthz', '/readyz'], health.routes() as Koa.Middleware));
  app.use(onlyUnder(['/assets/'], assets.routes() as Koa.Middleware));
  if (deps.metricsEndpoint) app.use(metricsRoute(deps.metricsEndpoint.exposition, deps.metricsEndpoint.token));
  app.use(corsPreflightGate(CORS_PATHS, deps.isRegisteredOrigin));
  app.use(tokenRateLimit(deps.tokenLimiters, '/token'));
  // The API reference (Swagger UI from its npm package) before the API, which answers every other path under it.
  const apiDocs = apiDocsRoutes();
  app.use(onlyUnder([`${ADMIN_PREFIX}/docs`], compose([apiDocs.routes(), apiDocs.allowedMethods()]) as Koa.Middleware));
  app.use(onlyUnder([`${ADMIN_PREFIX}/`], admin.middleware));
  app.use(onlyUnder(['/interaction/', '/federation/'], compose([interactions.routes(), interactions.allowedMethods()]) as Koa.Middleware));
  if (deps.notificationCallbacks) {
    const callbacks = notificationCallbackRoutes(deps.notificationCallbacks);
    // Providers only ever POST here; any other method is a 405 with Allow, never a 500.
    app.use(onlyUnder(['/notifications/v1/callbacks/'], compose([allowedMethods(['POST']), callbacks.routes(), callbacks.allowedMethods({ throw: true })]) as Koa.Middleware));
  }
  app.use(onlyUnder(['/account'], compose([selfService.routes(), selfService.allowedMethods()]) as Koa.Middleware));
  if (deps.console) {
    const adminConsole = consoleRoutes(deps.console);
    app.use(onlyUnder(['/console'], compose([adminConsole.routes(), adminConsole.allowedMethods()]) as Koa.Middleware));
  }
  if (deps.deviceGuesses) app.use(deviceCodeGuesses(deps.deviceGuesses.limiters, { audit: deps.deviceGuesses.audit, renderer: deps.renderer }, '/device'));
  const homePages = compose([home.routes(), home.allowedMethods()]) as Koa.Middleware;
  app.use((ctx, next) => (ctx.path === '/' || ctx.path.startsWith('/demo/') || ctx.path === '/dev/mailbox' ? homePages(ctx, next) : next()));
  app.use(providerOutages(retryAfter));
  if (deps.explainGrantErrors) app.use(onlyUnder(['/token'], grantErrorExplanations()));
  // Their bodies change only when the provider (its key set) does.
  app.use(documentCache(['/.well-known/openid-configuration', '/jwks'], deps.provider));
  app.use(providerMiddleware);

  // Koa's default handler prints stacks to stderr; ours logs a sanitized line instead.
  app.silent = true;
  app.on('error', (error: Error, ctx?: Koa.Context) =>
    deps.logger.warn({ requestId: ctx?.state?.requestId, err: { type: error.name, message: error.message } }, 'response error'),
  );
  return app;
}
