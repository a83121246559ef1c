/** Where records live: Postgres or the embedded database, Redis (direct or through Sentinel), purges. */
import { z } from 'zod';
import { bool, positiveInt, seconds, url } from './kinds.js';
import { optional, setting } from './setting.js';

export interface HostPort {
  host: string;
  port: number;
}

/** `host:port` or `[ipv6]:port`; undefined when malformed. */
function hostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  return host && Number.isInteger(port) && port >= 1 && port <= 65535 ? { host, port } : undefined;
}

const sentinels = z.string().transform((text, ctx) => {
  const found: HostPort[] = [];
  for (const item of text.split(',').map((i) => i.trim()).filter(Boolean)) {
    const parsed = hostPort(item);
    if (parsed) found.push(parsed);
    else ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of host:port (port 1-65535); ${JSON.stringify(item)} is not` });
  }
  if (found.length === 0 && text.trim() !== '') ctx.addIssue({ code: 'custom', message: 'must list at least one host:port' });
  return found;
});

export const storage = z.object({
  DATABASE_URL: optional(url(['postgres:', 'postgresql:']), 'Postgres connection string. Unset: the embedded PGlite database in DATA_DIR (development only).', { secret: true }),
  MIGRATE_ON_START: optional(
    bool,
    'Apply pending migrations at start-up. Safe with many replicas: they take turns under a Postgres advisory lock. Unset: true outside production; in production false, and a stale schema stops the start (run `oidc-server migrate`, a migration Job, or set true).',
  ),
  DATABASE_POOL_MAX: setting(positiveInt, '10', 'Maximum Postgres connections per process.'),
  DATA_DIR: setting(z.string().min(1), './data', 'Directory of the embedded database and of development secrets generated on first start.'),
  REDIS_URL: optional(
    url(['redis:', 'rediss:']),
    'Redis for short-lived artifacts and shared counters. Unset: everything is kept in the database and counters in process.',
    { secret: true },
  ),
  REDIS_KEY_PREFIX: setting(z.string(), 'oidc:', 'Prefix of every Redis key this provider writes.'),
  REDIS_COMMAND_TIMEOUT: setting(
    positiveInt.max(60_000, 'must be at most 60000'),
    '1000',
    'Time (ms) a Redis command may take before it fails, so an unreachable Redis answers 503 quickly instead of holding requests.',
  ),
  REDIS_SENTINELS: optional(
    sentinels,
    'Redis Sentinels to discover the primary through, comma-separated host:port (e.g. sentinel-1:26379,sentinel-2:26379). Needs REDIS_SENTINEL_NAME; REDIS_URL then supplies only credentials and options.',
  ),
  REDIS_SENTINEL_NAME: optional(
    z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be 1-128 letters, digits or . _ -'),
    'Name of the primary the Sentinels watch (their `sentinel monitor` name). Required with REDIS_SENTINELS.',
  ),
  OUTAGE_RETRY_AFTER: setting(
    seconds.max(3600, 'must be at most 3600'),
    '5',
    'Retry-After (s) sent with a 503 while Postgres or Redis is unreachable.',
  ),
  PURGE_INTERVAL: setting(seconds, '300', 'How often (s) expired provider records are purged.'),
  PURGE_BATCH_SIZE: setting(positiveInt, '500', 'Rows deleted per purge statement, so a purge never holds long locks.'),
});
