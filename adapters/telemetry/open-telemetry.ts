/**
 * The OpenTelemetry SDK, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Spans are batched
 * and sent as OTLP/HTTP JSON to <endpoint>/v1/traces. Instrumented: incoming and outgoing
 * node:http (requests, webhooks, upstream providers), fetch (undici), pg (through knex) and
 * ioredis; argon2 gets manual spans through the tracing port (server/shared/tracing.ts).
 */
import { register } from 'node:module';
import { trace, type Span, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { installTracer } from '../../server/shared/tracing.js';

/**
 * ESM imports bypass require(): the import-in-the-middle hook lets the instrumentations patch
 * what our ES modules import (ioredis, node:http). Limited to those modules, so every other
 * import loads unwrapped. pg is require()d by knex and patched without the hook.
 */
const HOOKED_MODULES = ['ioredis', 'http', 'https', 'node:http', 'node:https'];

function ended<T>(span: Span, work: () => Promise<T>): Promise<T> {
  return work().then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      span.end();
      throw error;
    },
  );
}

/** @returns what flushes the buffered spans at shutdown. */
export function startOpenTelemetry(endpoint: string, serviceName: string): { shutdown(): Promise<void> } {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: HOOKED_MODULES } });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: new URL('v1/traces', endpoint.endsWith('/') ? endpoint : `${endpoint}/`).href }))],
  });
  // Sets the global tracer provider, the AsyncLocalStorage context manager and W3C propagation.
  provider.register();
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation(), new UndiciInstrumentation(), new PgInstrumentation(), new IORedisInstrumentation()],
  });
  const tracer = trace.getTracer('oidc-server');
  installTracer({
    span: (name, work) => tracer.startActiveSpan(name, (span) => ended(span, work)),
    traceId: () => trace.getActiveSpan()?.spanContext().traceId,
  });
  return { shutdown: () => provider.shutdown() };
}
