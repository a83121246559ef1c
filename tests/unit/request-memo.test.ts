/**
 * A read memoized in a request (server/shared/request-scope.ts, adapters/db/request-memo-users.ts)
 * runs once per request and key, never crosses requests, is dropped when the request ends, is
 * forgotten by a write, and a failed read is not remembered.
 */
import { describe, expect, it } from 'vitest';
import { requestMemoUsers } from '../../adapters/db/request-memo-users.js';
import type { User, UserRepository } from '../../server/modules/users/index.js';
import { memoizedInRequest, runWithRequestId } from '../../server/shared/request-scope.js';

const alice: User = { id: 'u1', username: 'alice', email: 'alice@example.com', emailVerified: true, profile: {}, disabled: false, createdAt: new Date(0), updatedAt: new Date(0), version: 1 };

/** A repository over one in-memory row that counts its reads. */
function countingUsers() {
  let row: User = { ...alice };
  const reads = { byId: 0, byLogin: 0 };
  const unused = async (): Promise<never> => {
    throw new Error('not used by this test');
  };
  const repository: UserRepository = {
    findById: async (id) => (reads.byId++, id === row.id ? { ...row } : undefined),
    findByLogin: async (login) => (reads.byLogin++, login.toLowerCase() === row.username ? { ...row } : undefined),
    findByUsername: unused,
    count: unused,
    create: unused,
    list: unused,
    roleNames: unused,
    update: async (_id, changes) => (row = { ...row, ...changes, version: row.version + 1 }),
    updateVersioned: unused,
    deleteVersioned: unused,
    setRoles: unused,
  };
  return { repository, reads };
}

describe('reads memoized per request', () => {
  it('runs a read once per request and key, and again outside a request', async () => {
    let loads = 0;
    const load = async () => ++loads;
    await runWithRequestId('req-1', async () => {
      expect(await Promise.all([memoizedInRequest('k', load), memoizedInRequest('k', load)])).toEqual([1, 1]);
      expect(await memoizedInRequest('other', load)).toBe(2);
    });
    await runWithRequestId('req-2', async () => expect(await memoizedInRequest('k', load)).toBe(3));
    expect(await memoizedInRequest('k', load)).toBe(4);
    expect(await memoizedInRequest('k', load)).toBe(5);
  });

  it('does not remember a failed read', async () => {
    let calls = 0;
    await runWithRequestId('req-1', async () => {
      await expect(memoizedInRequest('k', async () => { calls += 1; throw new Error('down'); })).rejects.toThrow('down');
      expect(await memoizedInRequest('k', async () => (calls += 1))).toBe(2);
    });
  });

  it('drops the memo when the request ends, also for work the request left running', async () => {
    let loads = 0;
    let later: Promise<number> | undefined;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await runWithRequestId('req-1', async () => {
      await memoizedInRequest('k', async () => ++loads);
      later = released.then(() => memoizedInRequest('k', async () => ++loads));
    });
    release();
    expect(await later).toBe(2);
  });

  it('reads a user once per request, by id or by login, and again after a write', async () => {
    const { repository, reads } = countingUsers();
    const users = requestMemoUsers(repository);
    await runWithRequestId('req-1', async () => {
      expect((await users.findByLogin('Alice'))?.id).toBe('u1');
      expect(await users.findByLogin('alice')).toEqual(await users.findById('u1'));
      expect(reads).toEqual({ byId: 0, byLogin: 1 });
      await users.update('u1', { email: 'new@example.com' });
      expect((await users.findById('u1'))?.email).toBe('new@example.com');
      expect(reads).toEqual({ byId: 1, byLogin: 1 });
    });
    await runWithRequestId('req-2', async () => {
      await users.findById('u1');
      expect(reads).toEqual({ byId: 2, byLogin: 1 });
    });
  });

  it('remembers an unknown user as unknown in the request, not as anyone else', async () => {
    const { repository, reads } = countingUsers();
    const users = requestMemoUsers(repository);
    await runWithRequestId('req-1', async () => {
      expect(await users.findByLogin('mallory')).toBeUndefined();
      expect(await users.findByLogin('mallory')).toBeUndefined();
      expect(await users.findById('mallory')).toBeUndefined();
      expect(reads).toEqual({ byId: 1, byLogin: 1 });
    });
  });
});
