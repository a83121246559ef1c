/**
 * The clients, roles and resource-servers table adapters (adapters/db/clients.ts, roles.ts,
 * resource-servers.ts) against every database: PGlite and Postgres. One suite per port: the
 * seed's upserts and the provider's reads, administration's pages and compare-and-set changes,
 * and the port-level errors (UniqueViolation, StaleVersion, RecordMissing) instead of pg codes
 * or HTTP errors. Also the federation requests' purge round, which is bounded by its limit.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSecretSealer } from '../../adapters/crypto/envelope.js';
import { createClientsAdapter } from '../../adapters/db/clients.js';
import { createFederationRequestRepository } from '../../adapters/db/federation-requests-repository.js';
import { createResourceServersAdapter } from '../../adapters/db/resource-servers.js';
import { createRolesAdapter } from '../../adapters/db/roles.js';
import type { ResourceServer } from '../../server/modules/permissions/index.js';
import { RecordMissing, StaleVersion, UniqueViolation } from '../../server/shared/store-errors.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../helpers/stores.js';

// Opening and migrating an embedded database takes long on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const kinds = ['pglite', ...(postgresUrl ? ['postgres' as const] : [])] as const;
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of cleanup) await close();
});

async function database(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  const db = await createTestDatabase(kind);
  cleanup.push(() => db.drop());
  return db;
}

const api = (identifier: string, scopes: string[]): ResourceServer => ({ identifier, name: `API ${identifier}`, scopes: scopes.map((value) => ({ value, description: value })), accessTokenFormat: 'jwt', accessTokenTtl: undefined });

describe.each(kinds)('clients table adapter on %s', (kind) => {
  it('stores a sealed secret the provider reads back, and administration never sees', async () => {
    const db = await database(kind);
    const clients = createClientsAdapter(db.database.knex, createSecretSealer(randomBytes(32).toString('base64url')));
    await clients.save({ clientId: 'web', metadata: { redirect_uris: ['https://app.example/cb'] }, secret: 's3cret', source: 'seed' });
    expect(await clients.find('web')).toEqual({ clientId: 'web', metadata: { redirect_uris: ['https://app.example/cb'] }, secret: 's3cret', source: 'seed' });
    const stored = await db.database.knex('clients').where({ client_id: 'web' }).first('secret_ciphertext');
    expect(stored.secret_ciphertext).not.toContain('s3cret');
    const managed = await clients.findManaged('web');
    expect(managed).toMatchObject({ clientId: 'web', hasSecret: true, version: 1, source: 'seed' });
    expect(managed).not.toHaveProperty('secret');
    expect(await clients.list()).toEqual([{ clientId: 'web', metadata: { redirect_uris: ['https://app.example/cb'] }, source: 'seed', hasSecret: true }]);
    expect([...(await clients.origins())]).toEqual(['https://app.example']);
    // An upsert replaces and counts a version.
    await clients.save({ clientId: 'web', metadata: { redirect_uris: ['https://b.example/cb'] }, secret: undefined, source: 'seed' });
    expect(await clients.findManaged('web')).toMatchObject({ hasSecret: false, version: 2 });
    await clients.delete('web');
    expect(await clients.find('web')).toBeUndefined();
    await clients.delete('web');
  });

  it('a ciphertext opens only for the client it was sealed for', async () => {
    const db = await database(kind);
    const clients = createClientsAdapter(db.database.knex, createSecretSealer(randomBytes(32).toString('base64url')));
    await clients.save({ clientId: 'a', metadata: {}, secret: 'secret-of-a', source: 'seed' });
    await clients.save({ clientId: 'b', metadata: {}, secret: 'secret-of-b', source: 'seed' });
    const a = await db.database.knex('clients').where({ client_id: 'a' }).first('secret_ciphertext');
    await db.database.knex('clients').where({ client_id: 'b' }).update({ secret_ciphertext: a.secret_ciphertext });
    await expect(clients.find('b')).rejects.toThrow();
  });

  it('pages, changes by version and answers port errors', async () => {
    const db = await database(kind);
    const clients = createClientsAdapter(db.database.knex, createSecretSealer(randomBytes(32).toString('base64url')));
    for (const id of ['c1', 'c2', 'c3']) await clients.create({ clientId: id, metadata: {}, secret: undefined, source: 'admin' });
    await expect(clients.create({ clientId: 'c2', metadata: {}, secret: undefined, source: 'admin' })).rejects.toBeInstanceOf(UniqueViolation);
    const first = await clients.listPage({ limit: 2 });
    expect(first.items.map((c) => c.clientId)).toEqual(['c1', 'c2']);
    expect(first.nextKey).toBe('c2');
    expect((await clients.listPage({ limit: 2, after: 'c2' })).items.map((c) => c.clientId)).toEqual(['c3']);

    const updated = await clients.update('c1', [1], { metadata: { client_name: 'One' }, secret: 'new' });
    expect(updated).toMatchObject({ version: 2, hasSecret: true, metadata: { client_name: 'One' } });
    expect((await clients.find('c1'))?.secret).toBe('new');
    await expect(clients.update('c1', [1], { secret: null })).rejects.toBeInstanceOf(StaleVersion);
    await expect(clients.update('nope', [1], { secret: null })).rejects.toBeInstanceOf(RecordMissing);
    // Of two writers holding the same version, exactly one wins.
    const raced = await Promise.allSettled([clients.update('c1', [2], { secret: 'x' }), clients.update('c1', [2], { secret: 'y' })]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(raced.filter((r) => r.status === 'rejected' && r.reason instanceof StaleVersion)).toHaveLength(1);

    await expect(clients.remove('c2', [7])).rejects.toBeInstanceOf(StaleVersion);
    await clients.remove('c2', [1]);
    await expect(clients.remove('c2', 'any')).rejects.toBeInstanceOf(RecordMissing);
  });
});

describe.each(kinds)('roles table adapter on %s', (kind) => {
  async function setup() {
    const db = await database(kind);
    const apis = createResourceServersAdapter(db.database.knex);
    await apis.save(api('https://api.example', ['read', 'write']), 'seed');
    const roles = createRolesAdapter(db.database.knex);
    await db.database.knex('users').insert({ id: 'u1', username: 'u1', profile: '{}' });
    return { db, roles };
  }

  it('upserts by name, grants users roles and answers the provider’s permission lookups', async () => {
    const { roles } = await setup();
    const viewer = await roles.saveByName({ name: 'viewer', description: 'Reads', permissions: [{ resource: 'https://api.example', scope: 'read' }] }, 'seed');
    const again = await roles.saveByName({ name: 'viewer', description: 'Reads and writes', permissions: [{ resource: 'https://api.example', scope: 'write' }, { resource: 'https://api.example', scope: 'read' }] }, 'seed');
    expect(again.id).toBe(viewer.id);
    expect(await roles.findByName('viewer')).toMatchObject({ id: viewer.id, description: 'Reads and writes', version: 2, permissions: [{ resource: 'https://api.example', scope: 'read' }, { resource: 'https://api.example', scope: 'write' }] });
    await roles.setUserRoles('u1', [viewer.id]);
    expect(await roles.roleNamesOf('u1')).toEqual(['viewer']);
    expect(await roles.countHolders('viewer')).toBe(1);
    expect(await roles.countHolders('nobody')).toBe(0);
    expect(await roles.grantedScopes('u1', 'https://api.example')).toEqual(expect.arrayContaining(['read', 'write']));
    expect(await roles.permissionsOf('u1')).toEqual([{ resource: 'https://api.example', scope: 'read' }, { resource: 'https://api.example', scope: 'write' }]);
    expect((await roles.list()).map((r) => r.name)).toEqual(['viewer']);
    await roles.setUserRoles('u1', []);
    expect(await roles.roleNamesOf('u1')).toEqual([]);
  });

  it('pages, changes by version, touches holders and answers port errors', async () => {
    const { db, roles } = await setup();
    const a = await roles.create({ name: 'a', description: '', permissions: [] }, 'admin');
    await roles.create({ name: 'b', description: '', permissions: [] }, 'admin');
    await expect(roles.create({ name: 'a', description: '', permissions: [] }, 'admin')).rejects.toBeInstanceOf(UniqueViolation);
    expect((await roles.listPage({ limit: 1 })).items.map((r) => r.name)).toEqual(['a']);
    expect((await roles.listPage({ limit: 5, after: 'a' })).items.map((r) => r.name)).toEqual(['b']);

    await roles.setUserRoles('u1', [a.id]);
    const userVersion = async () => (await db.database.knex('users').where({ id: 'u1' }).first('version')).version as number;
    const before = await userVersion();
    const renamed = await roles.update(a.id, [1], { name: 'a2', permissions: [{ resource: 'https://api.example', scope: 'read' }] });
    expect(renamed).toMatchObject({ name: 'a2', version: 2, permissions: [{ resource: 'https://api.example', scope: 'read' }] });
    expect(await userVersion()).toBe(before + 1);
    await expect(roles.update(a.id, [1], { description: 'x' })).rejects.toBeInstanceOf(StaleVersion);
    await expect(roles.update(a.id, 'any', { name: 'b' })).rejects.toBeInstanceOf(UniqueViolation);
    await expect(roles.update('missing', 'any', { description: 'x' })).rejects.toBeInstanceOf(RecordMissing);

    // A refused delete leaves the holders' versions as they were.
    const held = await userVersion();
    await expect(roles.delete(a.id, [1])).rejects.toBeInstanceOf(StaleVersion);
    expect(await userVersion()).toBe(held);
    await roles.delete(a.id, [2]);
    expect(await roles.findById(a.id)).toBeUndefined();
    await expect(roles.delete(a.id, 'any')).rejects.toBeInstanceOf(RecordMissing);
  });
});

describe.each(kinds)('resource servers table adapter on %s', (kind) => {
  it('upserts, pages, changes by version and answers port errors', async () => {
    const db = await database(kind);
    const apis = createResourceServersAdapter(db.database.knex);
    await apis.save({ ...api('https://a.example', ['read']), accessTokenTtl: 300 }, 'seed');
    await apis.save(api('https://a.example', ['read', 'write']), 'seed');
    expect(await apis.find('https://a.example')).toMatchObject({ scopes: [{ value: 'read', description: 'read' }, { value: 'write', description: 'write' }], accessTokenTtl: undefined, accessTokenFormat: 'jwt', version: 2, source: 'seed' });
    await expect(apis.create(api('https://a.example', []), 'admin')).rejects.toBeInstanceOf(UniqueViolation);
    await apis.create(api('https://b.example', []), 'admin');
    expect((await apis.list()).map((s) => s.identifier)).toEqual(['https://a.example', 'https://b.example']);
    expect((await apis.listPage({ limit: 1 })).nextKey).toBe('https://a.example');
    expect((await apis.listPage({ limit: 1, after: 'https://a.example' })).items.map((s) => s.identifier)).toEqual(['https://b.example']);
    expect(await apis.update('https://b.example', [1], { name: 'B', accessTokenTtl: 60 })).toMatchObject({ name: 'B', accessTokenTtl: 60, version: 2 });
    await expect(apis.update('https://b.example', [1], { name: 'C' })).rejects.toBeInstanceOf(StaleVersion);
    await expect(apis.update('https://nope.example', 'any', { name: 'C' })).rejects.toBeInstanceOf(RecordMissing);
    await expect(apis.delete('https://b.example', [1])).rejects.toBeInstanceOf(StaleVersion);
    await apis.delete('https://b.example', [2]);
    await expect(apis.delete('https://b.example', 'any')).rejects.toBeInstanceOf(RecordMissing);
  });

  it('a scope removed from an API leaves every role granting it, and those roles change version', async () => {
    const db = await database(kind);
    const apis = createResourceServersAdapter(db.database.knex);
    const roles = createRolesAdapter(db.database.knex);
    await apis.save(api('https://a.example', ['read', 'write']), 'seed');
    const role = await roles.saveByName({ name: 'r', description: '', permissions: [{ resource: 'https://a.example', scope: 'read' }, { resource: 'https://a.example', scope: 'write' }] }, 'seed');
    const version = (await roles.findById(role.id))!.version;
    await apis.update('https://a.example', 'any', { scopes: [{ value: 'read', description: 'read' }] });
    expect(await roles.findById(role.id)).toMatchObject({ version: version + 1, permissions: [{ resource: 'https://a.example', scope: 'read' }] });
    await apis.delete('https://a.example', 'any');
    expect(await roles.findById(role.id)).toMatchObject({ version: version + 2, permissions: [] });
  });
});

describe.each(kinds)('federation requests purge on %s', (kind) => {
  it('deletes at most `limit` expired requests per round, and never a live one', async () => {
    const db = await database(kind);
    const requests = createFederationRequestRepository(db.database.knex);
    const now = new Date('2026-06-01T00:00:00Z');
    const request = (i: number, expiresAt: Date) => ({ stateHash: `h${i}`, binding: { interactionUid: `i${i}` }, providerId: 'google', nonce: 'n', codeVerifier: 'v', expiresAt });
    for (let i = 0; i < 7; i += 1) await requests.create(request(i, new Date(now.getTime() - 1000)), now);
    await requests.create(request(99, new Date(now.getTime() + 60_000)), now);
    expect(await requests.purge(now, 3)).toBe(3);
    expect(await requests.purge(now, 3)).toBe(3);
    expect(await requests.purge(now, 3)).toBe(1);
    expect(await requests.purge(now, 3)).toBe(0);
    expect(await requests.peek('h99', now)).toEqual({ interactionUid: 'i99' });
  });
});
