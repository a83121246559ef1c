/**
 * The tracing port every layer may use without importing OpenTelemetry: a manual span around
 * work no instrumentation sees (argon2), and the active trace id for log lines. Until the
 * process installs a tracer (adapters/telemetry, only when OTEL_EXPORTER_OTLP_ENDPOINT is set)
 * both are no-ops costing one function call.
 */
export interface Tracer {
  /** Runs `work` inside a child span of the active one named `name`, ended when it settles. */
  span<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** The active span's trace id, or undefined outside a trace. */
  traceId(): string | undefined;
}

const none: Tracer = { span: (_name, work) => work(), traceId: () => undefined };
let active: Tracer = none;

/** Called once at process start, before anything traced runs. */
export function installTracer(tracer: Tracer): void {
  active = tracer;
}

export function inSpan<T>(name: string, work: () => Promise<T>): Promise<T> {
  return active.span(name, work);
}

export function currentTraceId(): string | undefined {
  return active.traceId();
}
