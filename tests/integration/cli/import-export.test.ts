/**
 * `oidc-server users import` and `export`, the real binary against Postgres: hashes from other
 * systems (argon2i, bcrypt $2y$, scrypt) import from JSON lines, a file with problems is reported
 * line by line and imports nothing, a second run changes nothing; the imported accounts sign in
 * at a real provider and their hash becomes argon2id. The export is a seed document (hashes only
 * when asked, client secrets never) that `seed apply` turns into the same state elsewhere.
 */
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCredentialRepository, createUserRepository } from '../../../adapters/db/users-repository.js';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { buildOnce, cli } from '../../helpers/cli.js';
import { startTestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';
import { createTestDatabase, describeWith, postgresUrl, type TestDatabase } from '../../helpers/stores.js';

const API = 'https://orders.example.com';
const SECRET = 'shop-web-secret-that-is-long-enough-0123456789';
const REDIRECT = 'http://127.0.0.1:9999/cb';
const PASSWORDS = { ann: 'ann has an argon2i password', ben: 'ben has a bcrypt password', cid: 'cid has a scrypt password' };
const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

const dir = mkdtempSync(join(tmpdir(), 'oidc-cli-import-'));
const kek = randomBytes(32).toString('base64url');
let source: TestDatabase;
let target: TestDatabase;
const envOf = (db: TestDatabase) => ({ NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: db.url!, KEY_ENCRYPTION_KEY: kek, COOKIE_KEYS: randomBytes(32).toString('base64url'), LOG_LEVEL: 'silent' });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const seed = {
  apis: [{ identifier: API, name: 'Orders', scopes: [{ value: 'orders:read', description: 'Read orders' }] }],
  roles: [{ name: 'viewer', description: 'Reads orders', permissions: [{ resource: API, scopes: ['orders:read'] }] }],
  clients: [{ client_id: 'shop-web', client_name: 'Shop', client_secret: SECRET, redirect_uris: [REDIRECT], scope: 'openid profile email phone address', resource_scopes: { [API]: ['orders:read'] } }],
};

let lines: string[];
beforeAll(async () => {
  const build = await buildOnce();
  expect(build.stdout + build.stderr).toBe('');
  if (!postgresUrl) return;
  [source, target] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('postgres')]);
  const applied = await cli(['seed', 'apply', file('seed.json', JSON.stringify(seed))], envOf(source));
  expect(applied.stderr).toBe('');
  const scryptSalt = randomBytes(16);
  lines = [
    JSON.stringify({
      username: 'ann',
      email: 'ann@example.com',
      email_verified: true,
      password_hash: await argon2.hash(PASSWORDS.ann, { type: argon2.argon2i, memoryCost: 4096, timeCost: 3, parallelism: 1 }),
      roles: ['viewer'],
      profile: { name: 'Ann Example', address: { locality: 'Berlin', country: 'DE' }, phone_number: '+4930123456', phone_number_verified: true },
    }),
    JSON.stringify({ username: 'ben', email: 'ben@example.com', password_hash: bcrypt.hashSync(PASSWORDS.ben, 6).replace(/^\$2b\$/, '$2y$') }),
    JSON.stringify({ username: 'cid', password_hash: `$scrypt$ln=12,r=8,p=1$${b64(scryptSalt)}$${b64(scryptSync(PASSWORDS.cid, scryptSalt, 32, { N: 4096, r: 8, p: 1 }))}` }),
  ];
}, 120_000);

afterAll(async () => {
  await Promise.all([source?.drop(), target?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

const count = async (db: TestDatabase) => Number((await db.database.knex('users').count('* as n').first())!.n);
const hashOf = async (db: TestDatabase, username: string) => {
  const user = (await createUserRepository(db.database.knex).findByUsername(username))!;
  return (await createCredentialRepository(db.database.knex).findPassword(user.id))!.hash;
};

describeWith('postgres')('users import', () => {
  it('reports every problem with its line number and imports nothing', async () => {
    const bad = file('bad.jsonl', [
      lines[0],
      '{"username": "dan", "password_hash": "$2b$',
      JSON.stringify({ username: 'eve', password_hash: '$pbkdf2-sha256$29000$abc$def' }),
      JSON.stringify({ username: 'ANN', password_hash: bcrypt.hashSync('x', 4) }),
      '',
      JSON.stringify({ username: 'fay', roles: ['nope'] }),
      JSON.stringify({ username: 'gus', password: 'plaintext is not for imports' }),
      '[1, 2]',
      JSON.stringify({ username: 'hal', email: 'not an email', shoe_size: 44 }),
    ].join('\n'));
    const result = await cli(['users', 'import', bad], envOf(source));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const errors = result.stderr.trim().split('\n');
    expect(errors).toEqual(expect.arrayContaining([
      'line 2: not valid JSON',
      expect.stringMatching(/^line 3 \("eve"\)\.password_hash: must be an argon2id or argon2i PHC string, bcrypt/),
      'line 4 ("ANN"): same username as line 1',
      'line 7 ("gus").password: an import takes password_hash only',
      'line 8: must be a JSON object',
      expect.stringMatching(/^line 9 \("hal"\)\.email: /),
      expect.stringMatching(/^line 9 \("hal"\): Unrecognized key.*shoe_size/),
      expect.stringMatching(/Nothing imported: \d+ problem\(s\)\./),
    ]));
    expect(await count(source)).toBe(0);
  });

  it('checks roles against the database before writing anything', async () => {
    const result = await cli(['users', 'import', file('role.jsonl', `${lines[1]}\n${JSON.stringify({ username: 'fay', roles: ['nope'] })}\n`)], envOf(source));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 2 ("fay").roles[0]: no role named "nope"');
    expect(await count(source)).toBe(0);
  });

  it('imports argon2i, bcrypt and scrypt hashes as they are; a second run changes nothing', async () => {
    const path = file('users.jsonl', `${lines.join('\n')}\n`);
    const first = await cli(['users', 'import', path], envOf(source));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toBe('Imported 3 user(s): 3 created, 0 already present (updated).');
    const hashes = await Promise.all(['ann', 'ben', 'cid'].map((u) => hashOf(source, u)));
    expect(hashes.map((h) => h.split('$')[1])).toEqual(['argon2i', '2y', 'scrypt']);

    const again = await cli(['users', 'import', '-'], envOf(source), lines.join('\n'));
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('Imported 3 user(s): 0 created, 3 already present (updated).');
    expect(await Promise.all(['ann', 'ben', 'cid'].map((u) => hashOf(source, u)))).toEqual(hashes);
    expect(await count(source)).toBe(3);
  });

  it('imported accounts sign in at the provider and their hash is upgraded to argon2id; a wrong password changes nothing', async () => {
    const op = await startTestProvider({ seed: false, database: { ...source, drop: async () => undefined }, env: { KEY_ENCRYPTION_KEY: kek } });
    try {
      const config = await discover(op.issuer, 'shop-web', SECRET);
      const signIn = async (login: string, password: string) => {
        const request = await authorizationRequest(config, { redirect_uri: REDIRECT, scope: 'openid profile email phone address' });
        const { callback } = await authorize(new UserAgent(op.issuer), request.url, { login, password });
        return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
      };
      await expect(signIn('cid', 'not the password')).rejects.toThrow('login refused: Invalid username or password.');
      expect((await hashOf(source, 'cid')).startsWith('$scrypt$')).toBe(true);
      for (const [username, password] of Object.entries(PASSWORDS)) {
        const tokens = await signIn(username, password);
        expect(tokens.claims()!.sub).toBeTruthy();
        const upgraded = await hashOf(source, username);
        expect(upgraded).toMatch(/^\$argon2id\$v=19\$/);
        expect(await argon2.verify(upgraded, password)).toBe(true);
      }
      // The upgraded hash keeps working.
      await signIn('ben', PASSWORDS.ben);
    } finally {
      await op.stop();
    }
  });
});

describeWith('postgres')('export', () => {
  it('writes a seed document without secrets, with password hashes only when asked', async () => {
    const plain = await cli(['export'], envOf(source));
    expect(plain.stderr).toBe('');
    expect(plain.code).toBe(0);
    const document = JSON.parse(plain.stdout) as Record<string, Array<Record<string, unknown>>>;
    expect(Object.keys(document)).toEqual(['apis', 'roles', 'clients', 'users']);
    expect(plain.stdout).not.toContain(SECRET);
    expect(plain.stdout).not.toMatch(/"password_hash"|"client_secret(_env)?"|\$argon2|\$2y\$|\$scrypt/);
    expect(document.clients).toEqual([expect.objectContaining({ client_id: 'shop-web', client_name: 'Shop', redirect_uris: [REDIRECT], resource_scopes: { [API]: ['orders:read'] } })]);
    expect(document.users!.find((u) => u.username === 'ann')).toEqual({
      username: 'ann',
      email: 'ann@example.com',
      email_verified: true,
      profile: { name: 'Ann Example', address: { locality: 'Berlin', country: 'DE' }, phone_number: '+4930123456', phone_number_verified: true },
      roles: ['viewer'],
    });
    // The admin role is exported (an operator may have changed it); the admin API itself is registered by every start.
    expect(document.roles).toEqual([
      expect.objectContaining({ name: 'admin' }),
      { name: 'viewer', description: 'Reads orders', permissions: [{ resource: API, scopes: ['orders:read'] }] },
    ]);
    expect(document.apis!.map((api) => api.identifier)).toEqual([API]);

    const withHashes = await cli(['export', '--password-hashes', '--output', join(dir, 'export.json')], envOf(source));
    expect(withHashes.stdout.trim()).toBe(`Exported 1 apis, 2 roles, 1 clients, 3 users to ${join(dir, 'export.json')}.`);
  });

  it('seed apply of the export recreates the same APIs, roles, clients and users (with a new client secret)', async () => {
    const applied = await cli(['seed', 'apply', join(dir, 'export.json')], envOf(target));
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^Client secret of shop-web \(shown once\): [\w-]{43}$/m);
    const [a, b] = await Promise.all([source, target].map(async (db) => JSON.parse((await cli(['export', '--password-hashes'], envOf(db))).stdout)));
    expect(b).toEqual(a);
    expect(JSON.stringify(a)).toMatch(/"password_hash": ?"\$argon2id/);
  });
});
