/**
 * The real binaries, built once: `oidc-server migrate` and `keys rotate` against a test database
 * (and the rotated keys are what a provider then publishes), usage errors exit 2, and
 * `dist/server/main.js` refuses an unsafe production environment or a bad seed with exit 1 and
 * a message naming what to fix.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, cli, run as runBinary } from '../../helpers/cli.js';
import { openDatabase } from '../../../adapters/db/knex.js';
import { startTestProvider } from '../../helpers/provider.js';
import { adminQuery, itWith, postgresUrl, type TestDatabase } from '../../helpers/stores.js';

const run = (args: string[], env: Record<string, string>, command?: string) => runBinary(args, env, command ? { command } : {});

const dir = mkdtempSync(join(tmpdir(), 'oidc-cli-test-'));
const dbName = `oidc_cli_${randomBytes(6).toString('hex')}`;
const databaseUrl = postgresUrl ? Object.assign(new URL(postgresUrl), { pathname: `/${dbName}` }).toString() : undefined;
/** The environment of an operator running the CLI against this deployment's database. */
const deployment: Record<string, string> = {
  NODE_ENV: 'test',
  DATA_DIR: dir,
  KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  COOKIE_KEYS: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'silent',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
};

beforeAll(async () => {
  const build = await buildOnce();
  expect(build.stdout + build.stderr).toBe('');
  expect(build.code).toBe(0);
  // An empty database, as a new deployment has before its first `migrate`.
  if (postgresUrl) await adminQuery(`CREATE DATABASE ${dbName}`);
}, 90_000);

afterAll(async () => {
  if (postgresUrl) await adminQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
});

const kidsOf = (line: string | undefined) => (line ?? '').split(': ').slice(1).join(': ').split(', ').filter(Boolean);

describe('oidc-server CLI', () => {
  it('migrate applies the migrations to an empty database, then finds nothing to do', async () => {
    const first = await cli(['migrate'], deployment);
    expect(first.stderr).not.toMatch(/Error|failed/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Applied \d+ migration\(s\): .*20261128_001_initial/);
    const again = await cli(['migrate'], deployment);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('Database is up to date.');
  });

  const rotations: Array<{ created: string[]; retired: string[] }> = [];

  it('keys rotate creates the first keys on a fresh database, then replaces them and retires the previous ones', async () => {
    const first = await cli(['keys', 'rotate'], deployment);
    expect(first.code).toBe(0);
    const initial = kidsOf(first.stdout.split('\n').find((l) => l.startsWith('No signing keys existed; created:')));
    expect(initial).toHaveLength(2);
    rotations.push({ created: initial, retired: [] });
    for (let i = 0; i < 2; i += 1) {
      const result = await cli(['keys', 'rotate'], deployment);
      expect(result.stderr).not.toMatch(/failed/i);
      expect(result.code).toBe(0);
      const lines = result.stdout.split('\n');
      const created = kidsOf(lines.find((l) => l.startsWith('New signing keys:')));
      const retired = kidsOf(lines.find((l) => l.startsWith('Retired keys')));
      expect(created).toHaveLength(2);
      for (const kid of created) expect(kid).toMatch(/^[\w-]{43}$/);
      rotations.push({ created, retired });
    }
    for (let i = 1; i < rotations.length; i += 1) {
      expect(rotations[i]!.retired.sort()).toEqual([...rotations[i - 1]!.created].sort());
      expect(rotations[i]!.created.filter((kid) => rotations[i - 1]!.created.includes(kid))).toEqual([]);
    }
  });

  itWith('postgres')('migrate in production needs nothing but DATABASE_URL', async () => {
    const result = await cli(['migrate'], { NODE_ENV: 'production', DATABASE_URL: databaseUrl! });
    expect(result.stderr).not.toMatch(/Invalid configuration/);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('Database is up to date.');
    const refused = await cli(['migrate'], { NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('DATABASE_URL is required in production');
  });

  it('refuses to rotate with another key-encryption key, saying which setting is wrong', async () => {
    const result = await cli(['keys', 'rotate'], { ...deployment, KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KEY_ENCRYPTION_KEY');
  });

  it('the rotated keys are what a provider started on that database publishes, newest first', async () => {
    const database: TestDatabase | undefined = databaseUrl
      ? { database: openDatabase({ kind: 'postgres', url: databaseUrl, poolMax: 2 }), url: databaseUrl, drop: async () => undefined }
      : undefined;
    const op = await startTestProvider({
      seed: false,
      ...(database ? { database } : {}),
      env: { DATA_DIR: dir, KEY_ENCRYPTION_KEY: deployment.KEY_ENCRYPTION_KEY!, COOKIE_KEYS: deployment.COOKIE_KEYS! },
    });
    try {
      const { keys } = (await (await fetch(`${op.issuer}/jwks`)).json()) as { keys: Array<{ kid: string; kty: string }> };
      const latest = rotations.at(-1)!.created;
      const published = keys.map((k) => k.kid);
      // The latest keys sign; every earlier generation still verifies within the overlap.
      expect([...published].sort()).toEqual(rotations.flatMap((r) => r.created).sort());
      for (const kty of ['RSA', 'EC']) expect(latest).toContain(keys.find((k) => k.kty === kty)!.kid);
    } finally {
      await op.stop();
      await database?.database.close();
    }
  });

  it('stops a start on a bad seed entry with exit 1, naming entry and field', async () => {
    const seedFile = join(dir, 'bad-seed.json');
    writeFileSync(seedFile, JSON.stringify({ clients: [{ client_id: 'shop', client_secret: 'x'.repeat(40), redirect_uris: ['not a url'] }] }));
    const result = await run(['dist/server/main.js'], { ...deployment, HOST: '127.0.0.1', PORT: '0', SEED_FILE: seedFile, BOOTSTRAP_ADMIN: 'false', DEMO_CLIENTS: 'false' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Cannot start: SEED_FILE ${seedFile}: clients[0] ("shop").redirect_uris[0]: must be an absolute URI`);
    expect(result.stdout).not.toContain('listening');
  });

  it.each(['frobnicate', 'keys', 'keys destroy', 'constructor', 'toString'])('exits 2 with usage on the unknown command "%s"', async (command) => {
    const result = await cli(command.split(' '));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command');
    expect(result.stderr).toContain('Usage: oidc-server <command>');
  });

  it('exits 2 with usage without a command, and 0 when asked for help', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('Usage: oidc-server <command>');
    const help = await cli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('keys rotate');
  });
});

describe('dist/server/main.js in production', () => {
  it('exits 1 without settings, naming every missing one', async () => {
    const result = await run(['dist/server/main.js'], { NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    for (const name of ['ISSUER', 'TRUST_PROXY', 'COOKIE_KEYS', 'KEY_ENCRYPTION_KEY', 'DATABASE_URL']) expect(result.stderr).toContain(name);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });
});
