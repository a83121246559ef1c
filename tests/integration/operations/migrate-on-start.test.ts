/**
 * MIGRATE_ON_START in production: replicas that start at the same moment on a fresh database take
 * turns under the migration advisory lock; every one becomes ready and each migration is applied
 * once. Without it, production refuses a stale schema and says what to run. The processes get only
 * the settings production requires (no email or SMS channel: their features are off).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { buildOnce } from '../../helpers/cli.js';
import { key32 } from '../../helpers/production-env.js';
import { freePort } from '../../helpers/provider.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { adminQuery, describeWith, postgresUrl } from '../../helpers/stores.js';

const name = `oidc_migrate_${randomBytes(6).toString('hex')}`;
let databaseUrl = '';
const processes: ServerProcess[] = [];

// Replicas of one deployment share their secrets.
const secrets = { COOKIE_KEYS: key32(), KEY_ENCRYPTION_KEY: key32() };
const required = (port: number): Record<string, string> => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  ISSUER: 'https://id.example.com',
  TRUST_PROXY: 'true',
  ...secrets,
  DATABASE_URL: databaseUrl,
});

describeWith('postgres')('MIGRATE_ON_START', () => {
  beforeAll(async () => {
    await buildOnce();
    await adminQuery(`CREATE DATABASE ${name}`);
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }, 400_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('production without it refuses a fresh (unmigrated) database, naming the command', async () => {
    const port = await freePort();
    const server = startServerProcess(required(port), port);
    processes.push(server);
    expect(await server.ready(120_000)).toBe('exited');
    expect(server.exitCode()).toBe(1);
    expect(server.output()).toMatch(/schema is not up to date \(\d+ pending migrations\): run `npm run migrate` first/);
  }, 150_000);

  it('two replicas starting at once on the fresh database both become ready; each migration runs once', async () => {
    const ports = [await freePort(), await freePort()];
    const replicas = ports.map((port) => startServerProcess({ ...required(port), MIGRATE_ON_START: 'true' }, port));
    processes.push(...replicas);
    const states = await Promise.all(replicas.map((r) => r.ready(240_000)));
    expect(states, replicas.map((r) => r.output()).join('\n----\n')).toEqual(['ready', 'ready']);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; n: string }>('SELECT name, count(*) AS n FROM knex_migrations GROUP BY name ORDER BY name');
      expect(rows.map((r) => r.name)).toEqual(migrations.map(([n]) => n).sort());
      expect(rows.every((r) => r.n === '1')).toBe(true);
    } finally {
      await client.end();
    }
    // One of them applied them; the other found none pending.
    expect(replicas.filter((r) => r.output().includes('database migrated'))).toHaveLength(1);
    for (const replica of replicas) expect(await replica.stop()).toBe(0);
  }, 300_000);
});
