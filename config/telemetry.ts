/**
 * The tracing settings alone, read before anything else is imported (server/main.ts): the
 * OpenTelemetry SDK must patch pg, ioredis and http before they load. An invalid value turns
 * tracing off here; the full loader then refuses to start, naming the variable.
 */
import { metaOf } from './settings/setting.js';
import { telemetry, type TelemetrySettings } from './settings/telemetry.js';
import type { Environment } from './boot.js';

export type { TelemetrySettings };

/** @returns the settings, or undefined when tracing is off (endpoint unset or invalid). */
export function tracingSettings(env: Environment = process.env): TelemetrySettings | undefined {
  // Empty means unset, and unset takes the declared default, as the loader does for every setting.
  const values = Object.fromEntries(
    Object.entries(telemetry.shape).map(([name, schema]) => [name, env[name] || metaOf(name, schema).default]),
  );
  const parsed = telemetry.safeParse(values);
  return parsed.success && parsed.data.OTEL_EXPORTER_OTLP_ENDPOINT ? parsed.data : undefined;
}
