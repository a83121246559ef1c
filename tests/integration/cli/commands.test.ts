/**
 * The real `oidc-server` binary against Postgres: the first administrator (one-time password,
 * refused while one exists unless forced), users, roles and clients created and listed (`--json`
 * parses), secrets printed once and sealed at rest, and exit codes 0 / 1 / 2.
 */
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentialRepository, createUserRepository } from '../../../adapters/db/users-repository.js';
import { buildOnce, cli } from '../../helpers/cli.js';
import { createTestDatabase, describeWith, postgresUrl, type TestDatabase } from '../../helpers/stores.js';

const API = 'https://orders.example.com';
const dir = mkdtempSync(join(tmpdir(), 'oidc-cli-commands-'));
let db: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  const build = await buildOnce();
  expect(build.stdout + build.stderr).toBe('');
  env = { NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent' };
  if (!postgresUrl) return;
  db = await createTestDatabase('postgres');
  env = {
    NODE_ENV: 'test',
    DATA_DIR: dir,
    DATABASE_URL: db.url!,
    KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
  };
  const seed = join(dir, 'apis.json');
  writeFileSync(seed, JSON.stringify({ apis: [{ identifier: API, name: 'Orders', scopes: [{ value: 'orders:read' }, { value: 'orders:write' }] }] }));
  const applied = await cli(['seed', 'apply', seed], env);
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

describeWith('postgres')('users create-admin', () => {
  let password: string;

  it('creates an admin holding the admin role, with a one-time password that must be changed', async () => {
    const result = await cli(['users', 'create-admin', '--email', 'ops@example.com'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('One-time password (shown once; to be changed at first sign-in)');
    password = lastLine(result.stdout);
    expect(password).toMatch(/^[\w-]{24}$/);
    const user = (await createUserRepository(db.database.knex).findByUsername('admin'))!;
    expect(user.email).toBe('ops@example.com');
    const credential = (await createCredentialRepository(db.database.knex).findPassword(user.id))!;
    expect(credential.mustChange).toBe(true);
    expect(credential.hash).toMatch(/^\$argon2id\$/);
    expect(await argon2.verify(credential.hash, password)).toBe(true);
  });

  it('refuses a second admin with exit 1, naming --force; with --force it creates one', async () => {
    const refused = await cli(['users', 'create-admin', '--username', 'admin2'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('administrator(s) exist already; pass --force');
    expect(refused.stdout).toBe('');
    const forced = await cli(['users', 'create-admin', '--username', 'admin2', '--force'], env);
    expect(forced.code).toBe(0);
    expect(lastLine(forced.stdout)).not.toBe(password);
    const taken = await cli(['users', 'create-admin', '--username', 'ADMIN', '--force'], env);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('exists already');
  });
});

describeWith('postgres')('roles, users and clients', () => {
  it('roles create grants API scopes; an unknown scope is refused naming it', async () => {
    const created = await cli(['roles', 'create', 'viewer', '--description', 'Reads orders', '--permission', `${API} orders:read`], env);
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('Created role viewer.');
    const bad = await cli(['roles', 'create', 'writer', '--permission', `${API} orders:delete`], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"orders:delete" not defined by API https://orders.example.com');
    const malformed = await cli(['roles', 'create', 'writer', '--permission', 'orders:read'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--permission takes "<api identifier> <scope>"');
  });

  it('users create: a generated one-time password, or one read from stdin, and roles', async () => {
    const generated = await cli(['users', 'create', 'bob', '--email', 'bob@example.com', '--email-verified', '--name', 'Bob', '--role', 'viewer'], env);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    expect(lastLine(generated.stdout)).toMatch(/^[\w-]{24}$/);
    const piped = await cli(['users', 'create', 'carol', '--password-stdin'], env, 'a long enough password for carol\n');
    expect(piped.stdout.trim()).toBe('Created carol.');
    const carol = (await createUserRepository(db.database.knex).findByUsername('carol'))!;
    const credential = (await createCredentialRepository(db.database.knex).findPassword(carol.id))!;
    expect(credential.mustChange).toBe(false);
    expect(await argon2.verify(credential.hash, 'a long enough password for carol')).toBe(true);

    const weak = await cli(['users', 'create', 'dave', '--password-stdin'], env, 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password_too_short');
    const duplicate = await cli(['users', 'create', 'BOB'], env);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already in use');
    const noRole = await cli(['users', 'create', 'erin', '--role', 'nope'], env);
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toContain('no role named "nope"');
    expect(await createUserRepository(db.database.knex).findByUsername('erin')).toBeUndefined();
  });

  it('users list and roles list, as a table and as JSON', async () => {
    const table = await cli(['users', 'list'], env);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^USERNAME\s+EMAIL\s+VERIFIED\s+ROLES\s+DISABLED$/);
    expect(table.stdout).toMatch(/^bob\s+bob@example.com\s+true\s+viewer\s+false$/m);
    const users = JSON.parse((await cli(['users', 'list', '--json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(users.map((u) => u.username)).toEqual(['admin', 'admin2', 'bob', 'carol']);
    expect(users.find((u) => u.username === 'bob')).toMatchObject({ email: 'bob@example.com', email_verified: true, roles: ['viewer'], disabled: false });
    expect(JSON.stringify(users)).not.toMatch(/argon2|password/);
    const roles = JSON.parse((await cli(['roles', 'list', '--json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(roles).toEqual([
      // Every command registers the admin API first, as a server start does: the admin role holds its scopes.
      {
        name: 'admin',
        description: 'Administers the provider through the admin API',
        permissions: ['admin:read', 'admin:write'].map((scope) => ({ resource: 'http://localhost:3000/admin/v1', scope })),
        users: 2,
      },
      { name: 'viewer', description: 'Reads orders', permissions: [{ resource: API, scope: 'orders:read' }], users: 1 },
    ]);
  });

  it('clients create prints a generated secret once and stores it sealed; clients list never shows it', async () => {
    const created = await cli(['clients', 'create', 'shop', '--name', 'Shop', '--redirect-uri', 'https://shop.example.com/cb', '--scope', 'openid profile'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const secret = lastLine(created.stdout);
    expect(secret).toMatch(/^[\w-]{43}$/);
    const row = await db.database.knex('clients').where({ client_id: 'shop' }).first();
    expect(row.source).toBe('cli');
    expect(row.secret_ciphertext).toBeTruthy();
    expect(row.secret_ciphertext).not.toContain(secret);

    const spa = await cli(['clients', 'create', 'spa', '--public', '--redirect-uri', 'http://localhost:5173/cb'], env);
    expect(spa.code).toBe(0);
    expect(spa.stdout.trim()).toBe('Created client spa.');

    const list = await cli(['clients', 'list', '--json'], env);
    expect(list.stdout).not.toContain(secret);
    const clients = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(clients.map((c) => c.client_id)).toEqual(['shop', 'spa']);
    expect(clients[0]).toMatchObject({ source: 'cli', has_secret: true, redirect_uris: ['https://shop.example.com/cb'], client_name: 'Shop' });
    expect(clients[1]).toMatchObject({ has_secret: false, token_endpoint_auth_method: 'none' });
    expect(clients[0]).not.toHaveProperty('client_secret');
    const table = await cli(['clients', 'list'], env);
    expect(table.stdout).toMatch(/^shop\s+cli\s+client_secret_basic\s+authorization_code,refresh_token\s+https:\/\/shop.example.com\/cb$/m);
  });

  it('clients create refuses an existing id, a wildcard redirect URI, a code-flow client without redirect URI, a private back-channel logout URI', async () => {
    const again = await cli(['clients', 'create', 'shop', '--redirect-uri', 'https://shop.example.com/cb'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');
    const wildcard = await cli(['clients', 'create', 'wild', '--redirect-uri', 'https://*.example.com/cb'], env);
    expect(wildcard.code).toBe(1);
    expect(wildcard.stderr).toContain('clients[0] ("wild").redirect_uris[0]: must be an absolute URI without fragment or wildcard');
    const noRedirect = await cli(['clients', 'create', 'lost'], env);
    expect(noRedirect.code).toBe(1);
    expect(noRedirect.stderr).toContain('redirect_uris: required for the authorization_code grant');
    // Logout tokens would be POSTed there: the webhook address policy holds when the client is saved.
    const inward = await cli(['clients', 'create', 'inward', '--grant-type', 'client_credentials', '--backchannel-logout-uri', 'http://10.0.0.1/logout'], env);
    expect(inward.code).toBe(1);
    expect(inward.stderr).toContain('clients[0] ("inward").backchannel_logout_uri: the host resolves to a private address, which webhooks may not reach');
  });
});

describe('usage', () => {
  it.each([
    [['users', 'create'], 'missing argument'],
    [['users', 'create', 'a', 'b'], 'unexpected argument: b'],
    [['users', 'list', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['clients', 'create', 'x', '--file', 'f.json'], 'not both'],
  ])('%j exits 2 with the command usage', async (args, message) => {
    const result = await cli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(`Usage: oidc-server ${args.slice(0, 2).join(' ')}`);
  });

  it('help <command> and <command> --help print the command usage with exit 0', async () => {
    for (const args of [['help', 'users', 'import'], ['users', 'import', '--help']]) {
      const result = await cli(args, env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: oidc-server users import <file | ->');
      expect(result.stdout).toContain('$scrypt$ln=');
    }
    const overview = await cli(['help'], env);
    for (const name of ['users create-admin', 'users import', 'clients list', 'roles create', 'export', 'seed apply']) expect(overview.stdout).toContain(name);
  });
});
