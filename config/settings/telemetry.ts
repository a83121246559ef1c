/** OpenTelemetry tracing: off (nothing loaded) unless an OTLP/HTTP endpoint is named. */
import { z } from 'zod';
import { url } from './kinds.js';
import { optional, setting } from './setting.js';

export const telemetry = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(
    url(['http:', 'https:']),
    'OTLP/HTTP collector base URL (spans go to <url>/v1/traces, as JSON). Set: a trace per request with spans for Postgres, Redis, argon2 and outbound HTTP, and `traceId` in every log line. Unset: the OpenTelemetry SDK is never loaded.',
  ),
  OTEL_SERVICE_NAME: setting(z.string().min(1).max(100), 'oidc-server', 'service.name of the spans this process exports.'),
});

export type TelemetrySettings = z.output<typeof telemetry>;
