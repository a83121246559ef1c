/**
 * Real storage for tests. Each call gets an isolated place: a fresh Postgres database (when the
 * run names postgres), a fresh in-memory PGlite otherwise, and a fresh Redis key prefix (when the
 * run names redis). Which stores a run names is decided once, in run-stores.ts (TEST_STORES);
 * `.ci/run` names them per leg.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openDatabase, type Database } from '../../adapters/db/knex.js';
import { migrateToLatest } from '../../adapters/db/migrate.js';
import { skipReason, storesOfRun, type NamedStore } from './run-stores.js';

/** The stores of this run; a bad TEST_STORES fails every file that imports this (and global setup). */
export const runStores = storesOfRun(process.env);
/** DATABASE_URL when the run names postgres, else undefined (an embedded run ignores a stray DATABASE_URL). */
export const postgresUrl = runStores.databaseUrl;
/** REDIS_URL when the run names redis, else undefined. */
export const redisUrl = runStores.redisUrl;

/**
 * `describe` for a suite that needs `stores`: it runs when the run names them all, and is
 * skipped visibly (counted, the reason in its name) otherwise. Under CI a named store that does
 * not answer has already failed the run in global-setup.ts.
 */
export function describeWith(...stores: NamedStore[]) {
  return (name: string, body: () => void) => describe.skipIf(skipReason(runStores, stores) !== '')(`${name}${skipReason(runStores, stores)}`, body);
}

/** Both kinds of SQL database a contract suite runs against: one suite run × PGlite and Postgres. */
export const databaseKinds = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];
/** What a suite on `kind` needs from the run: nothing for PGlite (always there), postgres otherwise. */
export const storesFor = (kind: DatabaseKind): NamedStore[] => (kind === 'postgres' ? ['postgres'] : []);

/** `it` for one test that needs `stores`; skipped visibly like describeWith. */
export function itWith(...stores: NamedStore[]) {
  return (name: string, body: () => Promise<void>, timeout?: number) => it.skipIf(skipReason(runStores, stores) !== '')(`${name}${skipReason(runStores, stores)}`, body, timeout);
}

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
export async function createTestDatabase(kind: DatabaseKind = postgresUrl ? 'postgres' : 'pglite'): Promise<TestDatabase> {
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

/**
 * One contract suite run against each SQL database kind: `${title} on pglite` always, and
 * `${title} on postgres` (skipped visibly when the run does not name postgres). The suite shares
 * one migrated database; `database()` gives it to the tests, which use ids of their own.
 */
export function onEveryDatabase(title: string, body: (database: () => Database, kind: DatabaseKind) => void): void {
  for (const kind of databaseKinds) {
    describeWith(...storesFor(kind))(`${title} on ${kind}`, () => {
      let db: TestDatabase | undefined;
      // Migrating a fresh PGlite takes tens of seconds on a busy two-core machine.
      beforeAll(async () => {
        db = await createTestDatabase(kind);
      }, 180_000);
      afterAll(async () => {
        await db?.drop();
      });
      body(() => {
        if (!db) throw new Error(`the ${kind} database of "${title}" is not open`);
        return db.database;
      }, kind);
    });
  }
}
