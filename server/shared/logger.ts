/**
 * The logger every layer is handed, as an interface: protocol, notification and page code log
 * through it without importing pino (adapters/logging builds the real one).
 */
export interface LogFn {
  (details: object, message?: string): void;
  (message: string): void;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface Logger {
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
  isLevelEnabled(level: string): boolean;
  /** A logger whose every line carries `bindings` (a component name, a job). */
  child(bindings: Record<string, unknown>): Logger;
}

/** What we log of an error: its kind and message, never its stack or attached request data. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const { code, status } = error as Error & { code?: unknown; status?: unknown };
    return { type: error.name, message: error.message, ...(code ? { code } : {}), ...(status ? { status } : {}) };
  }
  return { type: typeof error };
}
