/**
 * Real storage for tests. Each call gets an isolated place: a fresh Postgres database (when
 * DATABASE_URL is set), a fresh in-memory PGlite otherwise, and a fresh Redis key prefix (when
 * REDIS_URL is set). `.ci/run` sets both, so CI always exercises Postgres and Redis.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { openDatabase, type Database } from '../../adapters/db/knex.js';
import { migrateToLatest } from '../../adapters/db/migrate.js';

export const postgresUrl = process.env.DATABASE_URL;
export const redisUrl = process.env.REDIS_URL;

export interface TestDatabase {
  database: Database;
  url: string | undefined;
  drop(): Promise<void>;
}

/** Runs one statement on the server's maintenance connection (DATABASE_URL): CREATE or DROP DATABASE. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A migrated, empty database of the given kind (default: Postgres when available). */
export async function createTestDatabase(kind: 'postgres' | 'pglite' = postgresUrl ? 'postgres' : 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = openDatabase({ kind: 'pglite', directory: undefined });
    await migrateToLatest(database.knex);
    return { database, url: undefined, drop: () => database.close() };
  }
  if (!postgresUrl) throw new Error('DATABASE_URL is not set');
  const name = `oidc_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const database = openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 5 });
  await migrateToLatest(database.knex);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export interface TestRedis {
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

/** A Redis connection and a key prefix no other test uses; close() deletes the prefix's keys. */
export async function createTestRedis(): Promise<TestRedis> {
  if (!redisUrl) throw new Error('REDIS_URL is not set');
  const redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  return {
    redis,
    prefix,
    async close() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
