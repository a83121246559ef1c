/** The process: environment, where it listens, its public name, logs, HTTP timeouts, shutdown. */
import { z } from 'zod';
import { bool, seconds, url } from './kinds.js';
import { optional, setting } from './setting.js';

export const server = z.object({
  NODE_ENV: setting(z.enum(['development', 'test', 'production']), 'development', 'development | test | production. Production refuses insecure settings at startup.'),
  HOST: setting(z.string().min(1), '0.0.0.0', 'Interface the HTTP server binds to.'),
  PORT: setting(z.coerce.number().int().min(0).max(65535), '3000', 'TCP port of the HTTP server.'),
  ISSUER: optional(
    // zod runs this refinement even when the URL check above failed: parse without throwing.
    url(['http:', 'https:']).refine((v) => {
      const parsed = URL.parse(v);
      return !parsed || (!parsed.search && !parsed.hash);
    }, 'must not have a query or fragment'),
    'Public issuer URL (OpenID Connect `iss`). Defaults to http://localhost:PORT in development.',
  ),
  TRUST_PROXY: setting(bool, 'false', 'Trust X-Forwarded-* headers from a TLS-terminating reverse proxy. Required in production.'),
  LOG_FORMAT: optional(
    z.enum(['pretty', 'json']),
    'Log lines as JSON (one object a line, for collectors) or pretty (coloured, one readable line each, via pino-pretty). Unset: pretty in development, json otherwise.',
  ),
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), 'info', 'pino log level.'),
  // Node refuses a headers timeout longer than the request timeout (rules/cross-field.ts).
  HTTP_HEADERS_TIMEOUT: setting(seconds.max(300, 'must be at most 300'), '10', 'Time (s) a client has to send the request headers (slow-loris bound).'),
  HTTP_REQUEST_TIMEOUT: setting(seconds.max(3600, 'must be at most 3600'), '30', 'Time (s) a client has to send a whole request, headers and body.'),
  HTTP_KEEP_ALIVE_TIMEOUT: setting(
    seconds.max(3600, 'must be at most 3600'),
    '65',
    'Time (s) an idle keep-alive connection stays open; longer than a load balancer\'s idle timeout (commonly 60 s), so the balancer closes first.',
  ),
  SHUTDOWN_GRACE: setting(seconds, '10', 'On SIGTERM, seconds to let in-flight requests finish.'),
  METRICS_ENABLED: setting(bool, 'false', 'Serve Prometheus metrics at /metrics.'),
  METRICS_TOKEN: optional(
    z.string().min(32, 'must be at least 32 characters'),
    'Bearer token a scraper must send to /metrics. Required in production when METRICS_ENABLED is true; unset in development: /metrics is open.',
    { secret: true },
  ),
});
