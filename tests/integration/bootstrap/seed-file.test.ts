/**
 * SEED_FILE as configuration-as-code: applied at every start without duplicates, edits take
 * effect, passwords people changed are kept, secrets are encrypted at rest, and a bad entry
 * stops the start with a message naming the entry and field, without leaving half a first run
 * behind (an admin whose one-time password was never shown).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../adapters/logging/pino-logger.js';
import { AppError } from '../../../server/shared/errors.js';
import { startServer } from '../../../server/start.js';
import { freePort, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { createTestDatabase, postgresUrl, redisUrl, type TestDatabase } from '../../helpers/stores.js';

const SHOP_SECRET = 'shop-secret-from-the-seed-file-0123456789';
const BATCH_SECRET = 'batch-secret-from-the-environment-0123456789';
const CAROL = { username: 'carol', password: 'carol first password' };

type Seed = { apis: Array<Record<string, unknown>>; clients: Array<Record<string, unknown>>; users: Array<Record<string, unknown>> };

function goodSeed(): Seed {
  return {
    apis: [{ identifier: 'https://orders.example.com', name: 'Orders', scopes: [{ value: 'orders:read' }] }],
    clients: [
      { client_id: 'shop', client_name: 'Shop', client_secret: SHOP_SECRET, redirect_uris: ['https://shop.example.com/cb'] },
      { client_id: 'batch', client_secret_env: 'BATCH_CLIENT_SECRET', grant_types: ['client_credentials'] },
      { client_id: 'generated', grant_types: ['client_credentials'] },
    ],
    users: [{ username: CAROL.username, email: 'carol@example.com', password: CAROL.password, profile: { name: 'Carol' } }],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'oidc-seed-test-'));
const seedPath = join(dir, 'seed.json');
const writeSeed = (seed: unknown) => writeFileSync(seedPath, JSON.stringify(seed));
// Shared by every start, so each one opens the keys and sessions of the one before.
const stable = {
  DATA_DIR: dir,
  KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
  COOKIE_KEYS: randomBytes(32).toString('base64url'),
  SEED_FILE: seedPath,
  BOOTSTRAP_ADMIN: 'true',
};

let database: TestDatabase | undefined;
let op: TestProvider | undefined;
let generatedSecret: string;

beforeAll(async () => {
  if (postgresUrl) database = await createTestDatabase('postgres');
});
afterAll(async () => {
  await op?.stop();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function tokenFor(clientId: string, secret: string) {
  const response = await fetch(`${op!.issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  return response.status;
}

async function counts() {
  const { knex } = op!.running.container.database;
  const count = async (table: string) => Number((await knex(table).count<{ count: unknown }[]>('* as count'))[0]!.count);
  // The admin API (source "bootstrap") is registered by every start, under each issuer's audience.
  const apis = Number((await knex('resource_servers').whereNot({ source: 'bootstrap' }).count<{ count: unknown }[]>('* as count'))[0]!.count);
  return { clients: await count('clients'), users: await count('users'), apis, credentials: await count('credentials') };
}

describe('SEED_FILE', () => {
  it('stops a first start on an entry that cannot be applied, naming it, and creates no admin', async () => {
    const seed = goodSeed();
    writeSeed(seed);
    const port = await freePort();
    // BATCH_CLIENT_SECRET is missing from this environment.
    const start = startServer({
      env: {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        ISSUER: `http://127.0.0.1:${port}`,
        DEMO_CLIENTS: 'false',
        ...stable,
        ...(database ? { DATABASE_URL: database.url } : {}),
        ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:` } : {}),
      },
      logger: createLogger('silent'),
    });
    const error = await start.then(
      () => {
        throw new Error('the start should have failed');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_seed');
    expect((error as AppError).message).toBe(
      `SEED_FILE ${seedPath}: clients[1] ("batch").client_secret_env: environment variable BATCH_CLIENT_SECRET must hold at least 32 characters`,
    );
  });

  it('applies the seed on the next start, with the admin of a first run, reading secrets from the environment', async () => {
    op = await startTestProvider({ seed: false, ...(database ? { database } : {}), env: { ...stable, BATCH_CLIENT_SECRET: BATCH_SECRET } });
    const report = op.running.firstRun;
    // Nobody existed before this start's seed: the admin is still created, and its password shown.
    expect(report.admin?.username).toBe('admin');
    expect(report.seed!.apis).toEqual(['https://orders.example.com']);
    expect(report.seed!.users).toEqual([{ username: CAROL.username, created: true }]);
    expect(report.seed!.clients).toEqual([
      // Created by the failed start before it stopped; the seed is the truth, so it is simply updated.
      { clientId: 'shop', created: false },
      { clientId: 'batch', created: true },
      { clientId: 'generated', created: true, generatedSecret: expect.stringMatching(/^[\w-]{40,}$/) },
    ]);
    generatedSecret = report.seed!.clients[2]!.generatedSecret!;
    expect(await tokenFor('shop', SHOP_SECRET)).toBe(400); // authenticated, but not allowed client_credentials
    expect(await tokenFor('shop', 'not-the-shop-secret-0000000000000000')).toBe(401);
    expect(await tokenFor('batch', BATCH_SECRET)).toBe(200);
    expect(await tokenFor('generated', generatedSecret)).toBe(200);
  });

  it('is applied again at restart without duplicates or new secrets', async () => {
    const before = await counts();
    // Three from the document and the built-in clients of the /account pages and the admin console.
    expect(before).toEqual({ clients: 5, users: 2, apis: 1, credentials: 2 });
    await op!.restart({ BATCH_CLIENT_SECRET: BATCH_SECRET });
    expect(await counts()).toEqual(before);
    const report = op!.running.firstRun;
    expect(report.admin).toBeUndefined();
    expect(report.seed!.clients).toEqual([
      { clientId: 'shop', created: false },
      { clientId: 'batch', created: false },
      { clientId: 'generated', created: false },
    ]);
    expect(report.seed!.users).toEqual([{ username: CAROL.username, created: false }]);
    expect(await tokenFor('generated', generatedSecret)).toBe(200);
  });

  it('updates what the document changed, but keeps the password a person may have changed since', async () => {
    const seed = goodSeed();
    seed.clients[0]!.client_name = 'Shop (renamed)';
    seed.users[0]!.password = 'a password edited in the seed';
    (seed.users[0]!.profile as Record<string, string>).name = 'Carol Danvers';
    writeSeed(seed);
    await op!.restart({ BATCH_CLIENT_SECRET: BATCH_SECRET });
    const { container } = op!.running;
    expect((await container.provider().Client.find('shop'))?.clientName).toBe('Shop (renamed)');
    expect((await container.users.findByUsername(CAROL.username))?.profile.name).toBe('Carol Danvers');
    expect(await container.http.interactions.authenticate(CAROL.username, CAROL.password)).toMatchObject({ ok: true });
    expect(await container.http.interactions.authenticate(CAROL.username, 'a password edited in the seed')).toEqual({ ok: false });
    expect(await counts()).toMatchObject({ clients: 5, users: 2 });
  });

  it('does not reset what a person changed and the seed does not state (verified email, other profile fields)', async () => {
    const { container } = op!.running;
    const carol = (await container.users.findByUsername(CAROL.username))!;
    await container.users.update(carol.id, { emailVerified: true, profile: { ...carol.profile, locale: 'fr-FR' } });
    await op!.restart({ BATCH_CLIENT_SECRET: BATCH_SECRET });
    const after = (await op!.running.container.users.findByUsername(CAROL.username))!;
    expect(after.emailVerified).toBe(true);
    expect(after.profile).toMatchObject({ locale: 'fr-FR' });

    // Changing the address in the seed makes it unverified again, unless the seed says otherwise.
    const seed = goodSeed();
    seed.users[0]!.email = 'carol.new@example.com';
    writeSeed(seed);
    await op!.restart({ BATCH_CLIENT_SECRET: BATCH_SECRET });
    const moved = (await op!.running.container.users.findByUsername(CAROL.username))!;
    expect(moved).toMatchObject({ email: 'carol.new@example.com', emailVerified: false });
  });

  it('keeps client secrets encrypted at rest and out of the logs', async () => {
    const { knex } = op!.running.container.database;
    const rows = (await knex('clients').select('client_id', 'metadata', 'secret_ciphertext')) as Array<{ client_id: string; metadata: unknown; secret_ciphertext: string }>;
    const secrets = { shop: SHOP_SECRET, batch: BATCH_SECRET, generated: generatedSecret };
    for (const row of rows) {
      if (!(row.client_id in secrets)) continue;
      const secret = secrets[row.client_id as keyof typeof secrets];
      expect(row.secret_ciphertext).toMatch(/^v1\./);
      expect(row.secret_ciphertext).not.toContain(secret);
      expect(JSON.stringify(row.metadata)).not.toContain(secret);
    }
    expect(op!.logs.filter((line) => Object.values(secrets).some((s) => line.includes(s)))).toEqual([]);
  });

  it.each([
    ['a redirect URI that is not a URL', (s: Seed) => (s.clients[0]!.redirect_uris = ['https://shop.example.com/cb', 'not a url']), 'clients[0] ("shop").redirect_uris[1]: must be an absolute URI'],
    ['a short user password', (s: Seed) => s.users.push({ username: 'dave', password: 'short' }), 'users[1] ("dave").password: must be at least 12 characters'],
    ['a back-channel logout URI on a loopback address (the webhook address policy)', (s: Seed) => s.clients.push({ client_id: 'inward', grant_types: ['client_credentials'], backchannel_logout_uri: 'http://127.0.0.1:8080/logout' }), 'clients[3] ("inward").backchannel_logout_uri: the host resolves to a loopback address, which webhooks may not reach'],
    ['metadata our client schema refuses before the protocol engine sees it', (s: Seed) => s.clients.push({ client_id: 'keyless', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials'] }), 'clients[3] ("keyless").jwks: private_key_jwt needs the client\'s public keys'],
  ])('stops a later start on %s, naming entry and field, and changes nothing', async (_what, breakIt, expected) => {
    const before = await counts();
    const seed = goodSeed();
    breakIt(seed);
    writeSeed(seed);
    await expect(op!.restart({ BATCH_CLIENT_SECRET: BATCH_SECRET })).rejects.toThrow(`SEED_FILE ${seedPath}: ${expected}`);
    writeSeed(goodSeed());
    await op!.restart({ BATCH_CLIENT_SECRET: BATCH_SECRET });
    expect(await counts()).toEqual(before);
    expect((await op!.running.container.users.findByUsername('dave'))).toBeUndefined();
  });
});
