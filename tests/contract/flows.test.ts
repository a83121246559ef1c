/**
 * The self-service ports (FlowRepository, DeviceRepository) against every SQL database: a flow's
 * transition is a compare-and-set, so of concurrent uses of one secret exactly one wins; flows
 * are found by id, token digest and pending kind; known devices report new ones; finished flows
 * are purged in bounded batches.
 */
import { beforeAll, expect, it } from 'vitest';
import { createDeviceRepository } from '../../adapters/db/devices-repository.js';
import { createFlowRepository, purgeFinishedFlows } from '../../adapters/db/flows-repository.js';
import { createUserRepository } from '../../adapters/db/users-repository.js';
import { startVerification } from '../../server/modules/self-service/index.js';
import { onEveryDatabase } from '../helpers/stores.js';

onEveryDatabase('self-service stores', (database) => {
  beforeAll(async () => {
    await createUserRepository(database().knex).create({ id: 'u1', username: 'alice', email: 'alice@example.com', emailVerified: false, profile: {} });
  });

  it('lets exactly one of many concurrent transitions of a flow win', async () => {
    const flows = createFlowRepository(database().knex);
    const flow = startVerification({ id: 'f-race', kind: 'verify_email', userId: 'u1', target: 'alice@example.com' }, new Date(), 600);
    await flows.create({ ...flow, tokenDigest: 'digest-race', codeDigest: 'code-race' });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => flows.transition(flow.id, { state: 'pending', attempts: 0 }, { state: 'verified', attempts: 0, finishedAt: new Date() })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await flows.findByTokenDigest('digest-race')).toMatchObject({ state: 'verified', kind: 'verify_email', userId: 'u1' });
  });

  it('finds a flow by id with its digests; a transition from a state it is no longer in is refused', async () => {
    const flows = createFlowRepository(database().knex);
    const flow = startVerification({ id: 'f-find', kind: 'verify_email', userId: 'u1', target: 'alice@example.com' }, new Date(), 600);
    await flows.create({ ...flow, tokenDigest: 'digest-find', codeDigest: 'code-find' });
    expect(await flows.findById('f-find')).toMatchObject({ id: 'f-find', kind: 'verify_email', userId: 'u1', state: 'pending', attempts: 0, tokenDigest: 'digest-find', codeDigest: 'code-find' });
    expect(await flows.findById('no-such-flow')).toBeUndefined();
    expect(await flows.findByTokenDigest('no-such-digest')).toBeUndefined();
    expect(await flows.transition('f-find', { state: 'pending', attempts: 0 }, { state: 'pending', attempts: 1, finishedAt: null })).toBe(true);
    expect(await flows.transition('f-find', { state: 'pending', attempts: 0 }, { state: 'verified', attempts: 0, finishedAt: new Date() })).toBe(false);
    expect(await flows.findById('f-find')).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('supersedes pending flows of one user and kind only', async () => {
    const flows = createFlowRepository(database().knex);
    const now = new Date();
    const make = (id: string, kind: 'verify_email' | 'verify_phone') => flows.create({ ...startVerification({ id, kind, userId: 'u1', target: 'x' }, now, 600), tokenDigest: null, codeDigest: null });
    await make('f-a', 'verify_email');
    await make('f-b', 'verify_phone');
    expect((await flows.findPending('u1', 'verify_email'))?.id).toBe('f-a');
    await flows.supersedePending('u1', 'verify_email', now);
    expect(await flows.findPending('u1', 'verify_email')).toBeUndefined();
    expect((await flows.findPending('u1', 'verify_phone'))?.id).toBe('f-b');
  });

  it('remembers devices and says which are new', async () => {
    const devices = createDeviceRepository(database().knex);
    expect(await devices.remember('u1', 'd1', 'Firefox', new Date())).toEqual({ isNew: true, hadDevices: false });
    expect(await devices.remember('u1', 'd1', 'Firefox', new Date())).toEqual({ isNew: false, hadDevices: true });
    expect(await devices.remember('u1', 'd2', 'Chrome', new Date())).toEqual({ isNew: true, hadDevices: true });
    // A known device is touched, not added: its user agent and last sight follow the latest sign-in.
    const later = new Date(Date.now() + 60_000);
    expect(await devices.remember('u1', 'd1', 'Firefox 2', later)).toEqual({ isNew: false, hadDevices: true });
    const rows = await database().knex('known_devices').where({ user_id: 'u1' }).orderBy('device_digest');
    expect(rows.map((r: { device_digest: string; user_agent: string }) => [r.device_digest, r.user_agent])).toEqual([['d1', 'Firefox 2'], ['d2', 'Chrome']]);
    expect(new Date(rows[0].last_seen_at).getTime()).toBe(later.getTime());
  });

  it('purges flows a day after they expired, in bounded batches', async () => {
    const flows = createFlowRepository(database().knex);
    const longAgo = new Date(Date.now() - 3 * 86_400_000);
    for (const id of ['old-1', 'old-2', 'old-3']) {
      await flows.create({ ...startVerification({ id, kind: 'verify_phone', userId: 'u1', target: '+4915100000000' }, longAgo, 600), tokenDigest: null, codeDigest: null });
    }
    await flows.create({ ...startVerification({ id: 'recent', kind: 'verify_phone', userId: 'u1', target: '+4915100000000' }, new Date(), 600), tokenDigest: null, codeDigest: null });
    expect(await purgeFinishedFlows(database().knex, 2)).toBe(3);
    expect(await flows.findById('old-1')).toBeUndefined();
    expect(await flows.findById('recent')).toBeDefined();
  });
});
