/**
 * The one place that tells a store outage (Postgres or Redis unreachable, a connection lost or
 * timing out) from a bug. An outage answers 503 with Retry-After: the request was fine and will
 * work again once the store is back. Anything else stays a 500.
 *
 * Recognised by shape, not by class, so this file imports nothing: node-postgres and ioredis
 * errors carry socket codes or fixed messages, Postgres its SQLSTATE, knex its error name.
 */

/** Socket-level failures: the peer is gone, refuses, or never answers. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * SQLSTATEs meaning "the server cannot serve you now": class 08 (connection exception),
 * 57P01-57P03 (shutdown, crash, starting up), 53300 (too many connections).
 */
const SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** Error names of knex (pool acquire timeout) and ioredis (reconnects exhausted). */
const NAMES = new Set(['KnexTimeoutError', 'MaxRetriesPerRequestError']);

/** Messages node-postgres and ioredis use for a lost or timed-out connection (they set no code). */
const MESSAGES = [
  /^Connection terminated/, // pg: the socket closed under a query, or connecting timed out
  /timeout exceeded when trying to connect/, // pg-pool
  /^Command timed out$/, // ioredis commandTimeout
  /^Connection is closed\.?$/, // ioredis: the connection closed with the command pending
  /^Stream isn't writeable/, // ioredis: offline with the offline queue off
  /^Client has encountered a connection error and is not queryable$/, // pg
  /Failed to refresh slots cache|All sentinels are unreachable/,
  /^READONLY /, // a write reached a primary that a failover just demoted
];

/** Marks an error as an outage explicitly (e.g. a store adapter that knows its backend is down). */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(readonly store: 'database' | 'redis', options?: { cause?: unknown }) {
    super(`${store} unavailable`, options);
  }
}

function isOutageShape(error: object): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true;
  if (typeof name === 'string' && NAMES.has(name)) return true;
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * @returns true when `error`, or an error it wraps (`cause`, AggregateError members, a few
 * levels deep), says a store is unreachable.
 */
export function isStoreOutage(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  if (isOutageShape(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (cause && isStoreOutage(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => isStoreOutage(inner, depth + 1));
}
