/**
 * The SQL side of self-service against real Postgres (PGlite without DATABASE_URL): a flow's
 * transition is a compare-and-set, so of concurrent uses of one secret exactly one wins; known
 * devices report new ones; account artifacts list and revoke what the provider stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceRepository } from '../../../adapters/db/devices-repository.js';
import { createFlowRepository, purgeFinishedFlows } from '../../../adapters/db/flows-repository.js';
import { createUserRepository } from '../../../adapters/db/users-repository.js';
import { startVerification } from '../../../server/modules/self-service/index.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/stores.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await createUserRepository(db.database.knex).create({ id: 'u1', username: 'alice', email: 'alice@example.com', emailVerified: false, profile: {} });
});
afterAll(async () => {
  await db?.drop();
});

describe('self-service stores', () => {
  it('lets exactly one of many concurrent transitions of a flow win', async () => {
    const flows = createFlowRepository(db.database.knex);
    const flow = startVerification({ id: 'f-race', kind: 'verify_email', userId: 'u1', target: 'alice@example.com' }, new Date(), 600);
    await flows.create({ ...flow, tokenDigest: 'digest-race', codeDigest: 'code-race' });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => flows.transition(flow.id, { state: 'pending', attempts: 0 }, { state: 'verified', attempts: 0, finishedAt: new Date() })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await flows.findByTokenDigest('digest-race')).toMatchObject({ state: 'verified', kind: 'verify_email', userId: 'u1' });
  });

  it('supersedes pending flows of one user and kind only', async () => {
    const flows = createFlowRepository(db.database.knex);
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
    const devices = createDeviceRepository(db.database.knex);
    expect(await devices.remember('u1', 'd1', 'Firefox', new Date())).toEqual({ isNew: true, hadDevices: false });
    expect(await devices.remember('u1', 'd1', 'Firefox', new Date())).toEqual({ isNew: false, hadDevices: true });
    expect(await devices.remember('u1', 'd2', 'Chrome', new Date())).toEqual({ isNew: true, hadDevices: true });
  });

  it('purges flows a day after they expired, in bounded batches', async () => {
    const flows = createFlowRepository(db.database.knex);
    const longAgo = new Date(Date.now() - 3 * 86_400_000);
    for (const id of ['old-1', 'old-2', 'old-3']) {
      await flows.create({ ...startVerification({ id, kind: 'verify_phone', userId: 'u1', target: '+4915100000000' }, longAgo, 600), tokenDigest: null, codeDigest: null });
    }
    await flows.create({ ...startVerification({ id: 'recent', kind: 'verify_phone', userId: 'u1', target: '+4915100000000' }, new Date(), 600), tokenDigest: null, codeDigest: null });
    expect(await purgeFinishedFlows(db.database.knex, 2)).toBe(3);
    expect(await flows.findById('old-1')).toBeUndefined();
    expect(await flows.findById('recent')).toBeDefined();
  });
});
