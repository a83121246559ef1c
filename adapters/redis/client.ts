/**
 * Opens Redis so that an outage fails requests fast instead of hanging them, and reports its
 * state as one log line per change instead of ioredis' "Unhandled error event" stack traces.
 *
 * Every command is bounded by `commandTimeoutMs` (REDIS_COMMAND_TIMEOUT), queued ones included:
 * ioredis starts a command's timer before it decides to queue it offline. The offline queue
 * stays on so a command issued during a reconnect or a Sentinel failover still runs when the
 * connection is back within the bound, rather than failing at once.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisSettings {
  url: string | undefined;
  /** Non-empty: the primary is found through these Redis Sentinels. */
  sentinels: ReadonlyArray<{ host: string; port: number }>;
  sentinelName: string | undefined;
  commandTimeoutMs: number;
}

/** The two lines this adapter writes; any pino-like logger fits. */
export interface RedisStateLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

/** What a connection error is called in the log: its code, never its stack or the URL. */
function errorFields(error: Error): Record<string, unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  return { err: { type: error.name, ...(code ? { code } : {}), message: error.message.slice(0, 200) } };
}

export function redisOptions(settings: RedisSettings): RedisOptions {
  return {
    // A command is not retried across reconnects: its own timeout already bounds it, and a
    // retry would only add another wait for the same outage.
    maxRetriesPerRequest: 0,
    enableOfflineQueue: true,
    commandTimeout: settings.commandTimeoutMs,
    // A black-holed address (no RST) otherwise waits ioredis' 10 s default per attempt.
    connectTimeout: Math.max(settings.commandTimeoutMs, 500),
    // Reconnect quickly at first (a restart takes a second or two), then every 2 s at most.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    connectionName: 'oidc-server',
    // Commands issued in the same tick (concurrent token requests) leave in one write: one
    // syscall and one Redis read for many, where each write cost more CPU than the command.
    enableAutoPipelining: true,
    ...(settings.sentinels.length
      ? {
          sentinels: settings.sentinels.map(({ host, port }) => ({ host, port })),
          name: settings.sentinelName ?? 'mymaster',
          sentinelCommandTimeout: settings.commandTimeoutMs,
          sentinelRetryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
          role: 'master' as const,
          // Reconnect to the new primary as soon as the sentinels announce a switch...
          failoverDetector: true,
          // ...and when a write lands on the demoted one before that: reconnect and resend it.
          reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
        }
      : {}),
  };
}

/** Logs "unavailable" once when the connection is lost and "available" once when it is back. */
export function watchRedisState(redis: Redis, log: RedisStateLog, label = 'redis'): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ component: label, ...errorFields(error) }, `${label} unavailable`);
  });
  redis.on('close', () => {
    // A close after a deliberate quit() is not an outage; ioredis reports it with status 'end'.
    if (down || redis.status === 'end') return;
    down = true;
    log.warn({ component: label }, `${label} connection lost`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ component: label }, `${label} available again`);
  });
}

export function openRedis(settings: RedisSettings, log: RedisStateLog): Redis {
  const options = redisOptions(settings);
  const redis = settings.url ? new Redis(settings.url, options) : new Redis(options);
  watchRedisState(redis, log);
  return redis;
}
