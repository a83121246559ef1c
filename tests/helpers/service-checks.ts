/**
 * Does each service a run names answer? Used by global-setup.ts before any test starts, so a
 * missing Postgres, Redis or Chromium fails the run with one clear line instead of each suite
 * failing (or, as before, skipping) on its own.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { RunStores } from './run-stores.js';

/** Seconds to wait for a service to answer: a local service answers in milliseconds. */
const ANSWER_TIMEOUT_SECONDS = 5;

/** Why Postgres at `url` does not answer `select 1`, or undefined when it does. */
export async function postgresProblem(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: ANSWER_TIMEOUT_SECONDS * 1000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return `Postgres at ${redact(url)} does not answer: ${messageOf(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why Redis at `url` does not answer PING, or undefined when it does. */
export async function redisProblem(url: string): Promise<string | undefined> {
  // No retries and no offline queue: one attempt, answered or refused within the timeout.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: ANSWER_TIMEOUT_SECONDS * 1000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const answer = await redis.ping();
    return answer === 'PONG' ? undefined : `Redis at ${redact(url)} answered PING with ${answer}`;
  } catch (error) {
    return `Redis at ${redact(url)} does not answer: ${messageOf(error)}`;
  } finally {
    redis.disconnect();
  }
}

/** Why there is no runnable Chromium at `path`, or undefined when there is. */
export async function chromiumProblem(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.X_OK);
    return undefined;
  } catch {
    return `no executable Chromium at ${path} (set CHROMIUM_PATH)`;
  }
}

/** Every problem with the services `run` names (and Chromium when `needChromium`), all at once. */
export async function serviceProblems(run: RunStores, chromium: { needed: boolean; path: string }): Promise<string[]> {
  const checks = await Promise.all([
    run.databaseUrl ? postgresProblem(run.databaseUrl) : undefined,
    run.redisUrl ? redisProblem(run.redisUrl) : undefined,
    chromium.needed ? chromiumProblem(chromium.path) : undefined,
  ]);
  return checks.filter((problem): problem is string => problem !== undefined);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message || error.name : String(error));

/** A URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}
