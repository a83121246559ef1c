/**
 * Tracing at process start. Unset endpoint: returns at once, and nothing of OpenTelemetry is
 * imported (tests/unit/telemetry/bootstrap.test.ts checks the module graph). Set: the SDK is
 * imported dynamically, so its cost is paid only by processes that export spans.
 */
import type { TelemetrySettings } from '../../config/telemetry.js';

export interface Tracing {
  /** Exports the spans still buffered; called before the process exits. */
  shutdown(): Promise<void>;
}

/** Must run before pg, ioredis and http are imported, or auto-instrumentation cannot patch them. */
export async function startTracing(settings: TelemetrySettings | undefined): Promise<Tracing | undefined> {
  if (!settings?.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const { startOpenTelemetry } = await import('./open-telemetry.js');
  return startOpenTelemetry(settings.OTEL_EXPORTER_OTLP_ENDPOINT, settings.OTEL_SERVICE_NAME);
}
