/**
 * The MFA ports against every implementation: credential, SMS-challenge and trusted-device
 * stores on PGlite and Postgres; the backoff store in memory and on Redis. The atomic parts —
 * a TOTP step accepted once, a recovery code consumed once, an SMS challenge consumed once — are
 * raced on purpose.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createBackoffStore } from '../../adapters/redis/backoff-store.js';
import { createMfaCredentialRepository } from '../../adapters/db/mfa-credentials-repository.js';
import { createSmsChallengeRepository } from '../../adapters/db/sms-challenges-repository.js';
import { createTrustedDeviceRepository } from '../../adapters/db/trusted-devices-repository.js';
import type { BackoffStore, TotpRecord } from '../../server/modules/auth/index.js';
import type { Database } from '../../adapters/db/knex.js';
import { createTestRedis, itWith, onEveryDatabase, type TestRedis } from '../helpers/stores.js';

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of cleanup) await close();
});

/** A fresh user in the suite's database (one migrated database per kind, shared by its tests). */
async function withUser(database: Database): Promise<{ db: { database: Database }; userId: string }> {
  const userId = `u-${Math.random().toString(36).slice(2)}`;
  await database.knex('users').insert({ id: userId, username: userId, profile: '{}' });
  return { db: { database }, userId };
}

const active: TotpRecord = { status: 'active', sealedSecret: 'v1.sealed', lastStep: null, createdAt: 1, activatedAt: 2, attempts: 0 };

// One suite per kind, each present in every run: the Postgres one is skipped visibly (never
// dropped from the list) when the run does not name postgres.
onEveryDatabase('MFA stores', (database) => {
  it('keeps one TOTP per user and accepts each time step once, even when raced', async () => {
    const { db, userId } = await withUser(database());
    const store = createMfaCredentialRepository(db.database.knex);
    await store.saveTotp(userId, { ...active, status: 'pending' });
    // A pending enrolment accepts no step.
    expect(await store.acceptTotpStep(userId, 10)).toBe(false);
    await store.saveTotp(userId, active);
    expect(await store.findTotp(userId)).toEqual(active);
    const raced = await Promise.all([store.acceptTotpStep(userId, 10), store.acceptTotpStep(userId, 10), store.acceptTotpStep(userId, 10)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await store.acceptTotpStep(userId, 9)).toBe(false);
    expect(await store.acceptTotpStep(userId, 11)).toBe(true);
    expect((await store.findTotp(userId))?.lastStep).toBe(11);
    expect(await db.database.knex('credentials').where({ user_id: userId, type: 'totp' }).count('* as n')).toEqual([{ n: expect.anything() }]);
    expect(await store.deleteTotp(userId)).toBe(true);
    expect(await store.findTotp(userId)).toBeUndefined();
  });

  it('consumes a recovery code once, even when raced; a new set replaces the old', async () => {
    const { db, userId } = await withUser(database());
    const store = createMfaCredentialRepository(db.database.knex);
    await store.saveRecoveryCodes(userId, { hashes: ['a', 'b', 'c'], generatedAt: 5 });
    const raced = await Promise.all([store.consumeRecoveryCode(userId, 'b'), store.consumeRecoveryCode(userId, 'b'), store.consumeRecoveryCode(userId, 'b')]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await store.findRecoveryCodes(userId)).toEqual({ hashes: ['a', 'c'], generatedAt: 5 });
    expect(await store.consumeRecoveryCode(userId, 'zzz')).toBe(false);
    await store.saveRecoveryCodes(userId, { hashes: ['x'], generatedAt: 6 });
    expect(await store.consumeRecoveryCode(userId, 'a')).toBe(false);
    expect(await store.consumeRecoveryCode(userId, 'x')).toBe(true);
  });

  it('reads TOTP and recovery codes in one call as each alone', async () => {
    const { db, userId } = await withUser(database());
    const store = createMfaCredentialRepository(db.database.knex);
    expect(await store.findFactors(userId)).toEqual({ totp: undefined, recoveryCodes: undefined });
    await store.saveRecoveryCodes(userId, { hashes: ['a'], generatedAt: 5 });
    expect(await store.findFactors(userId)).toEqual({ totp: undefined, recoveryCodes: { hashes: ['a'], generatedAt: 5 } });
    await store.saveTotp(userId, active);
    expect(await store.findFactors(userId)).toEqual({ totp: await store.findTotp(userId), recoveryCodes: await store.findRecoveryCodes(userId) });
    expect((await store.findFactors(userId)).totp).toEqual(active);
  });

  it('consumes an SMS challenge once, only with the right hash, in time and within attempts', async () => {
    const { db, userId } = await withUser(database());
    const store = createSmsChallengeRepository(db.database.knex);
    const now = Date.now();
    await store.create({ id: 'c1', userId, codeHash: 'h', createdAt: now, expiresAt: now + 60_000, attempts: 0, consumedAt: null });
    expect(await store.consume('c1', 'wrong', now, 5)).toBe(false);
    await store.recordFailure('c1');
    expect((await store.find('c1'))?.attempts).toBe(1);
    expect(await store.consume('c1', 'h', now + 61_000, 5)).toBe(false);
    const raced = await Promise.all([store.consume('c1', 'h', now, 5), store.consume('c1', 'h', now, 5)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect((await store.latestFor(userId))?.consumedAt).toBe(now);
    await store.create({ id: 'c2', userId, codeHash: 'h', createdAt: now + 1, expiresAt: now + 60_000, attempts: 5, consumedAt: null });
    expect(await store.consume('c2', 'h', now, 5)).toBe(false);
  });

  it('stores, lists and revokes trusted devices per user', async () => {
    const { db, userId } = await withUser(database());
    const store = createTrustedDeviceRepository(db.database.knex);
    await store.create({ id: 'd1', userId, label: 'Chrome on Linux', createdAt: 1000, expiresAt: 2000, revokedAt: null });
    await store.create({ id: 'd2', userId, label: 'Firefox', createdAt: 1000, expiresAt: 2000, revokedAt: null });
    expect(await store.find('d1')).toEqual({ id: 'd1', userId, label: 'Chrome on Linux', createdAt: 1000, expiresAt: 2000, revokedAt: null });
    expect(await store.revoke('someone-else', 'd1', 1500)).toBe(false);
    expect(await store.revoke(userId, 'd1', 1500)).toBe(true);
    expect(await store.revoke(userId, 'd1', 1600)).toBe(false);
    expect(await store.revokeAll(userId, 1700)).toBe(1);
    expect((await store.listFor(userId)).map((d) => d.revokedAt)).toEqual([1500, 1700].sort());
  });
});

async function backoffContract(store: BackoffStore) {
  expect(await store.blockedFor('k')).toBe(0);
  expect(await store.recordFailure('k')).toBe(1);
  expect(await store.recordFailure('k')).toBe(2);
  await store.block('k', 2);
  const blocked = await store.blockedFor('k');
  expect(blocked).toBeGreaterThanOrEqual(1);
  expect(blocked).toBeLessThanOrEqual(2);
  expect(await store.blockedFor('other')).toBe(0);
  await store.reset('k');
  expect(await store.blockedFor('k')).toBe(0);
  expect(await store.recordFailure('k')).toBe(1);
  await store.block('short', 1);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  expect(await store.blockedFor('short')).toBe(0);
}

describe('backoff store', () => {
  it('in memory: counts, blocks for a while, forgets on reset', async () => {
    await backoffContract(createBackoffStore(undefined, { keyPrefix: 'unit:', windowSeconds: 60 }));
  });
  itWith('redis')('on Redis: the same', async () => {
    const redis: TestRedis = await createTestRedis();
    cleanup.push(() => redis.close());
    await backoffContract(createBackoffStore(redis.redis, { keyPrefix: redis.prefix, windowSeconds: 60 }));
  });
});
