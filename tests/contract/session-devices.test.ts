/**
 * The session_devices port (SessionDeviceRepository) on PGlite and Postgres, and the sessions
 * list's use of it (session-activity.ts) with a pinned clock: a sign-in records, a re-sign-in keeps
 * created_at, "last seen" moves at most once per interval, the purge is bounded, a user's rows go
 * with the user.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createSessionDeviceRepository } from '../../adapters/db/session-devices-repository.js';
import type { Database } from '../../adapters/db/knex.js';
import { createSessionActivity, TOUCH_INTERVAL_MS } from '../../server/modules/self-service/index.js';
import { onEveryDatabase } from '../helpers/stores.js';

async function user(database: Database): Promise<string> {
  const id = randomUUID();
  await database.knex('users').insert({ id, username: `u${id.slice(0, 8)}`, profile: '{}' });
  return id;
}

const T0 = new Date('2026-12-01T10:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 24 * 60 * 60 * 1000;
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

onEveryDatabase('session devices', (database) => {
  it('records a sign-in, keeps the first created_at on the next, and lists only the sessions asked for', async () => {
    const store = createSessionDeviceRepository(database().knex);
    const alice = await user(database());
    await store.recordSignIn({ sessionUid: 'uid-a', userId: alice, browser: 'Chrome', os: 'Linux', network: '203.0.113.x', at: T0, expiresAt: later(DAY) });
    await store.recordSignIn({ sessionUid: 'uid-b', userId: alice, at: T0, expiresAt: later(DAY) });
    await store.recordSignIn({ sessionUid: 'uid-a', userId: alice, browser: 'Firefox', os: 'Linux', network: '198.51.100.x', at: later(60_000), expiresAt: later(2 * DAY) });
    const found = await store.findMany(['uid-a', 'uid-b', 'uid-unknown', '']);
    expect([...found.keys()].sort()).toEqual(['uid-a', 'uid-b']);
    expect(found.get('uid-a')).toEqual({ browser: 'Firefox', os: 'Linux', network: '198.51.100.x', createdAt: T0, lastSeenAt: later(60_000) });
    expect(found.get('uid-b')).toEqual({ createdAt: T0, lastSeenAt: T0 });
    expect((await store.findMany([])).size).toBe(0);
  });

  it('touches only a stale row of the same user, and keeps browser and system', async () => {
    const store = createSessionDeviceRepository(database().knex);
    const [alice, bob] = [await user(database()), await user(database())];
    await store.recordSignIn({ sessionUid: 'uid-t', userId: alice, browser: 'Chrome', os: 'Linux', network: '203.0.113.x', at: T0, expiresAt: later(DAY) });
    // Not stale yet: last seen T0 is not before T0.
    expect(await store.touch({ sessionUid: 'uid-t', userId: alice, network: '192.0.2.x', at: later(1000), expiresAt: later(DAY) }, T0)).toBe(false);
    expect(await store.touch({ sessionUid: 'uid-t', userId: bob, at: later(10 * 60_000), expiresAt: later(DAY) }, later(5 * 60_000))).toBe(false);
    expect(await store.touch({ sessionUid: 'uid-none', userId: alice, at: later(10 * 60_000), expiresAt: later(DAY) }, later(5 * 60_000))).toBe(false);
    expect(await store.touch({ sessionUid: 'uid-t', userId: alice, network: '192.0.2.x', at: later(10 * 60_000), expiresAt: later(3 * DAY) }, later(5 * 60_000))).toBe(true);
    expect((await store.findMany(['uid-t'])).get('uid-t')).toEqual({ browser: 'Chrome', os: 'Linux', network: '192.0.2.x', createdAt: T0, lastSeenAt: later(10 * 60_000) });
  });

  it('forgets the sessions named, purges expired rows in bounded batches, and drops a deleted user\'s rows', async () => {
    const store = createSessionDeviceRepository(database().knex);
    const [alice, bob] = [await user(database()), await user(database())];
    for (const n of [1, 2, 3]) await store.recordSignIn({ sessionUid: `old-${n}`, userId: alice, at: T0, expiresAt: later(n * 1000) });
    await store.recordSignIn({ sessionUid: 'live', userId: alice, at: T0, expiresAt: later(DAY) });
    await store.recordSignIn({ sessionUid: 'bobs', userId: bob, at: T0, expiresAt: later(DAY) });
    await store.recordSignIn({ sessionUid: 'gone', userId: alice, at: T0, expiresAt: later(DAY) });

    expect(await store.forget(['gone', 'never-there'])).toBe(1);
    expect(await store.forget([])).toBe(0);
    expect(await store.purgeExpired(later(60_000), 2)).toBe(2);
    expect(await store.purgeExpired(later(60_000), 2)).toBe(1);
    expect(await store.purgeExpired(later(60_000), 2)).toBe(0);
    expect([...(await store.findMany(['old-1', 'old-2', 'old-3', 'live', 'gone', 'bobs'])).keys()].sort()).toEqual(['bobs', 'live']);

    await database().knex('users').where({ id: bob }).delete();
    expect([...(await store.findMany(['live', 'bobs'])).keys()]).toEqual(['live']);
  });

  it('as the sessions list uses it: a sign-in names the browser and keeps a coarse network; last seen moves once per interval', async () => {
    let now = T0;
    const sessionDevices = createSessionDeviceRepository(database().knex);
    const activity = createSessionActivity({ sessionDevices, clock: { now: () => now } });
    const alice = await user(database());
    const use = { sessionUid: 'uid-u', accountId: alice, userAgent: CHROME_LINUX, ip: '203.0.113.77', expiresAt: later(DAY) };
    await activity.signedIn(use);
    expect((await sessionDevices.findMany(['uid-u'])).get('uid-u')).toEqual({ browser: 'Chrome', os: 'Linux', network: '203.0.113.x', createdAt: T0, lastSeenAt: T0 });

    now = later(TOUCH_INTERVAL_MS - 1000);
    await activity.seen({ ...use, ip: '198.51.100.9' });
    expect((await sessionDevices.findMany(['uid-u'])).get('uid-u')?.lastSeenAt).toEqual(T0);

    now = later(TOUCH_INTERVAL_MS + 1000);
    await activity.seen({ ...use, ip: '198.51.100.9' });
    expect((await sessionDevices.findMany(['uid-u'])).get('uid-u')).toMatchObject({ network: '198.51.100.x', lastSeenAt: now });

    await activity.ended('uid-u');
    expect((await sessionDevices.findMany(['uid-u'])).size).toBe(0);
  });

  it('the same sign-in reported again by the resume after consent writes nothing; another account in that session does', async () => {
    let now = T0;
    const writes: string[] = [];
    const store = createSessionDeviceRepository(database().knex);
    const sessionDevices = { ...store, recordSignIn: async (s: Parameters<typeof store.recordSignIn>[0]) => { writes.push(s.userId); await store.recordSignIn(s); } };
    const activity = createSessionActivity({ sessionDevices, clock: { now: () => now } });
    const [alice, bob] = [await user(database()), await user(database())];
    const use = { sessionUid: 'uid-c', accountId: alice, userAgent: CHROME_LINUX, ip: '203.0.113.77', expiresAt: later(DAY) };
    await activity.signedIn(use);
    now = later(2000);
    await activity.signedIn({ ...use, ip: '203.0.113.78' });
    expect(writes).toEqual([alice]);
    await activity.signedIn({ ...use, accountId: bob });
    expect(writes).toEqual([alice, bob]);
    expect((await store.findMany(['uid-c'])).get('uid-c')).toMatchObject({ lastSeenAt: now });
    now = later(TOUCH_INTERVAL_MS + 3000);
    await activity.signedIn({ ...use, accountId: bob });
    expect(writes).toEqual([alice, bob, bob]);
  });
});
