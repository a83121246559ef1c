/**
 * server/modules/bootstrap/use-cases/import-users.ts with fakes: line numbers count blank lines,
 * duplicates within the file and emails owned by other accounts are reported before any write,
 * and a failure while applying names its line and leaves the transaction to roll back.
 */
import { describe, expect, it } from 'vitest';
import { importUsers, type ImportUsersDeps } from '../../server/modules/bootstrap/index.js';
import { AppError } from '../../server/shared/errors.js';
import type { User } from '../../server/modules/users/index.js';

const HASH = '$2b$04$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
const existing: User = { id: 'x', username: 'owner', email: 'taken@example.com', emailVerified: true, profile: {}, disabled: false, version: 1, createdAt: new Date(0), updatedAt: new Date(0) };

function deps(options: { failOn?: string } = {}) {
  const applied: string[] = [];
  let transactions = 0;
  const importDeps: ImportUsersDeps = {
    users: {
      findByUsername: async (name) => (name.toLowerCase() === 'owner' ? existing : undefined),
      findByLogin: async (login) => (login.toLowerCase() === 'taken@example.com' || login.toLowerCase() === 'owner' ? existing : undefined),
    },
    roles: { findByName: async (name) => (name === 'viewer' ? { id: 'r', name, description: '', permissions: [] } : undefined) },
    async transaction(work) {
      transactions += 1;
      const seedDeps = {
        users: {
          findByUsername: async () => undefined,
          create: async (u: { id: string; username: string }) => {
            if (u.username === options.failOn) throw new AppError('conflict', 'username or email already in use');
            applied.push(u.username);
            return { ...existing, ...u };
          },
        },
        credentials: { setPassword: async () => undefined },
        roles: { findByName: async (name: string) => ({ id: name }), setUserRoles: async () => undefined },
      } as unknown as Parameters<typeof work>[0];
      return work(seedDeps);
    },
  };
  return { importDeps, applied, transactions: () => transactions };
}

const line = (value: Record<string, unknown>) => JSON.stringify(value);

describe('importUsers', () => {
  it('counts blank lines in line numbers and reports duplicates and taken emails without writing', async () => {
    const { importDeps, transactions } = deps();
    const text = [
      line({ username: 'amy', email: 'amy@example.com', password_hash: HASH }),
      '',
      line({ username: 'bea', email: 'AMY@example.com' }),
      line({ username: 'cal', email: 'taken@example.com' }),
      line({ username: 'owner', email: 'other@example.com' }),
      line({ username: 'dee', roles: ['viewer', 'ghost'] }),
    ].join('\r\n');
    const result = await importUsers(importDeps, text);
    expect(result).toEqual({
      ok: false,
      errors: ['line 3 ("bea"): same email as line 1', 'line 4 ("cal").email: already used by another account', 'line 6 ("dee").roles[1]: no role named "ghost"'],
    });
    expect(transactions()).toBe(0);
  });

  it('refuses an empty input', async () => {
    expect(await importUsers(deps().importDeps, '\n\n')).toEqual({ ok: false, errors: ['no users in the input'] });
  });

  it('names the line of a failure while applying, and reports nothing as imported', async () => {
    const { importDeps, applied } = deps({ failOn: 'bob' });
    const result = await importUsers(importDeps, [line({ username: 'amy' }), line({ username: 'bob', email: 'bob@example.com' })].join('\n'));
    expect(result).toEqual({ ok: false, errors: ['line 2 ("bob"): username or email already in use'] });
    // The fake has no rollback; the real transaction (scripts/cli/context.ts) undoes amy.
    expect(applied).toEqual(['amy']);
  });

  it('applies a clean file in one transaction', async () => {
    const { importDeps, applied, transactions } = deps();
    const result = await importUsers(importDeps, [line({ username: 'amy', password_hash: HASH, roles: ['viewer'] }), line({ username: 'bob' })].join('\n'));
    expect(result).toEqual({ ok: true, created: ['amy', 'bob'], updated: [] });
    expect(applied).toEqual(['amy', 'bob']);
    expect(transactions()).toBe(1);
  });
});
