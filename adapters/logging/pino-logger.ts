/**
 * Structured JSON logs (pino). Request logs carry the path without its query string (which can
 * hold codes and tokens); known secret-bearing fields are redacted wherever they appear.
 */
import { pino } from 'pino';
import { describeError, type Logger } from '../../server/shared/logger.js';
import { currentRequestId } from '../../server/shared/request-scope.js';
import { currentTraceId } from '../../server/shared/tracing.js';

export const REDACTED_PATHS = [
  '*.password', '*.client_secret', '*.access_token', '*.refresh_token', '*.id_token', '*.code',
  '*.code_verifier', '*.authorization', '*.cookie', '*.token', 'headers.authorization', 'headers.cookie',
];

/**
 * Replaces pino's default `err` serializer, which renames our `type` to "Object" and adds a
 * stack. An error's code (internal, 23505, ECONNREFUSED) is logged as `errorCode`: redaction runs
 * after serializers, and `*.code` (there for authorization codes) would hide it.
 */
function serializeError(value: unknown): unknown {
  const described = value instanceof Error ? describeError(value) : value;
  if (!described || typeof described !== 'object' || !('code' in described)) return described;
  const { code, ...rest } = described as Record<string, unknown>;
  return { ...rest, errorCode: code };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'oidc-server' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      formatters: { level: (label) => ({ level: label }) },
      // Every line written while a request is handled names it, wherever it is logged from.
      // With tracing on (OTEL_EXPORTER_OTLP_ENDPOINT), also the trace it belongs to.
      mixin: () => {
        const requestId = currentRequestId();
        const traceId = currentTraceId();
        return { ...(requestId ? { requestId } : {}), ...(traceId ? { traceId } : {}) };
      },
    },
    destination,
  );
}
