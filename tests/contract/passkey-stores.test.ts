/**
 * The passkey ports against every implementation: the passkey table on PGlite and Postgres, and
 * the WebAuthn challenge store in the database and on Redis. The atomic parts — a challenge taken
 * once, a counter moved from the value read — are raced on purpose.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPasskeyRepository } from '../../adapters/db/passkeys-repository.js';
import { createWebAuthnChallengeRepository } from '../../adapters/db/webauthn-challenges-repository.js';
import { createRedisWebAuthnChallenges } from '../../adapters/redis/webauthn-challenges.js';
import type { Database } from '../../adapters/db/knex.js';
import type { Passkey, WebAuthnChallengeStore } from '../../server/modules/auth/index.js';
import { createTestRedis, itWith, onEveryDatabase } from '../helpers/stores.js';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of cleanup) await close();
});

async function user(database: Database): Promise<string> {
  const id = randomUUID();
  await database.knex('users').insert({ id, username: `u${id.slice(0, 8)}`, profile: '{}' });
  return id;
}

const passkey = (userId: string, over: Partial<Passkey> = {}): Passkey => ({
  id: randomUUID(),
  userId,
  credentialId: randomUUID().replace(/-/g, ''),
  publicKey: 'pQECAyYgASFYIA',
  counter: 0,
  transports: ['internal', 'hybrid'],
  aaguid: '00000000-0000-0000-0000-000000000000',
  name: 'Laptop',
  synced: false,
  backedUp: false,
  createdAt: 1_700_000_000_000,
  lastUsedAt: null,
  ...over,
});

async function challengeContract(store: WebAuthnChallengeStore) {
  const now = Date.now();
  await store.put('a', { challenge: 'c1', userId: 'u1', expiresAt: now + 60_000 });
  await store.put('a', { challenge: 'c2', expiresAt: now + 60_000 });
  const raced = await Promise.all([store.take('a', now), store.take('a', now), store.take('a', now)]);
  expect(raced.filter(Boolean)).toEqual([{ challenge: 'c2', expiresAt: now + 60_000 }]);
  expect(await store.take('a', now)).toBeUndefined();
  await store.put('b', { challenge: 'c3', userId: 'u2', expiresAt: now + 60_000 });
  expect(await store.take('b', now)).toEqual({ challenge: 'c3', userId: 'u2', expiresAt: now + 60_000 });
  // An expired challenge is no challenge, and it is gone after the attempt.
  await store.put('c', { challenge: 'c4', expiresAt: now + 60_000 });
  expect(await store.take('c', now + 61_000)).toBeUndefined();
  expect(await store.take('c', now)).toBeUndefined();
  expect(await store.take('never', now)).toBeUndefined();
}

onEveryDatabase('passkey stores', (database) => {
  it('stores passkeys per user, finds them by credential id, renames and deletes only the owner\'s', async () => {
    const store = createPasskeyRepository(database().knex);
    const [alice, bob] = [await user(database()), await user(database())];
    const first = passkey(alice, { synced: true, backedUp: true });
    const second = passkey(alice, { createdAt: 1_700_000_001_000, counter: 5 });
    await store.create(first);
    await store.create(second);
    await expect(store.create({ ...passkey(bob), credentialId: first.credentialId })).rejects.toThrow();
    expect(await store.listFor(alice)).toEqual([first, second]);
    expect(await store.findByCredentialId(second.credentialId)).toEqual(second);
    expect(await store.findByCredentialId('nope')).toBeUndefined();
    expect(await store.rename(bob, first.id, 'Mine now')).toBe(false);
    expect(await store.rename(alice, first.id, 'Phone')).toBe(true);
    expect(await store.delete(bob, first.id)).toBe(false);
    expect(await store.delete(alice, first.id)).toBe(true);
    expect((await store.listFor(alice)).map((p) => p.id)).toEqual([second.id]);
    expect(await store.deleteAll(alice)).toBe(1);
    expect(await store.listFor(alice)).toEqual([]);
  });

  it('moves the counter only from the value read, once when raced', async () => {
    const store = createPasskeyRepository(database().knex);
    const owner = await user(database());
    const p = passkey(owner, { counter: 3 });
    await store.create(p);
    const next = { ...p, counter: 4, lastUsedAt: 1_700_000_002_000, backedUp: true };
    const raced = await Promise.all([store.recordUse(next, 3), store.recordUse(next, 3), store.recordUse(next, 3)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await store.recordUse({ ...p, counter: 9 }, 3)).toBe(false);
    expect(await store.findByCredentialId(p.credentialId)).toEqual(next);
  });

  it('remembers "not now" to the passkey offer once per user', async () => {
    const store = createPasskeyRepository(database().knex);
    const owner = await user(database());
    expect(await store.offerDeclined(owner)).toBe(false);
    await store.declineOffer(owner, Date.now());
    await store.declineOffer(owner, Date.now());
    expect(await store.offerDeclined(owner)).toBe(true);
  });

  it('takes each WebAuthn challenge once, in the database', async () => {
    await challengeContract(createWebAuthnChallengeRepository(database().knex));
  });
});

describe('WebAuthn challenges on Redis', () => {
  itWith('redis')('takes each challenge once, and it expires with its key', async () => {
    const redis = await createTestRedis();
    cleanup.push(() => redis.close());
    await challengeContract(createRedisWebAuthnChallenges(redis.redis, redis.prefix));
    await createRedisWebAuthnChallenges(redis.redis, redis.prefix).put('ttl', { challenge: 'c', expiresAt: Date.now() + 30_000 });
    const ttl = await redis.redis.pttl(`${redis.prefix}webauthn:ttl`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});
