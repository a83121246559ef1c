/**
 * server/modules/auth/use-cases/authenticate-password.ts with in-memory fakes: the same answer
 * and the same work for every failure, and hash upgrades after a successful sign-in.
 */
import { describe, expect, it } from 'vitest';
import { authenticatePassword, type AuthenticatePasswordDeps } from '../../server/modules/auth/index.js';
import type { PasswordCredential, User } from '../../server/modules/users/index.js';

const PASSWORD = 'correct horse battery staple';

function fakes(options: { disabled?: boolean; credential?: PasswordCredential | null; needsRehash?: boolean } = {}) {
  const user: User = {
    id: 'u1',
    username: 'alice',
    email: 'alice@example.com',
    emailVerified: true,
    profile: {},
    disabled: options.disabled ?? false,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    version: 1,
  };
  const stored = new Map<string, PasswordCredential>();
  if (options.credential !== null) stored.set(user.id, options.credential ?? { hash: `old$${PASSWORD}`, mustChange: false });
  const calls = { verify: [] as string[], dummy: [] as string[], hash: [] as string[], setPassword: [] as Array<[string, PasswordCredential]> };
  const deps: AuthenticatePasswordDeps = {
    users: { findByLogin: async (login) => (login === 'alice' || login === 'alice@example.com' ? user : undefined) },
    credentials: {
      findPassword: async (id) => stored.get(id),
      setPassword: async (id, credential) => {
        calls.setPassword.push([id, credential]);
        stored.set(id, credential);
      },
    },
    hasher: {
      // Fake hashes are "<params>$<password>": readable, and the params tell needsRehash apart.
      hash: async (password) => {
        calls.hash.push(password);
        return `new$${password}`;
      },
      verify: async (hash, password) => {
        calls.verify.push(password);
        return hash.slice(hash.indexOf('$') + 1) === password;
      },
      needsRehash: (hash) => (options.needsRehash ?? false) && hash.startsWith('old$'),
      verifyAgainstDummy: async (password) => {
        calls.dummy.push(password);
        return false;
      },
    },
  };
  return { deps, calls, stored };
}

describe('authenticatePassword', () => {
  it('accepts the right password by username or email', async () => {
    const { deps, calls } = fakes();
    expect(await authenticatePassword(deps, 'alice', PASSWORD)).toEqual({ ok: true, userId: 'u1', mustChangePassword: false });
    expect(await authenticatePassword(deps, 'alice@example.com', PASSWORD)).toMatchObject({ ok: true });
    expect(calls.dummy).toEqual([]);
  });

  it('passes on the must-change flag of a one-time password', async () => {
    const { deps } = fakes({ credential: { hash: `old$${PASSWORD}`, mustChange: true } });
    expect(await authenticatePassword(deps, 'alice', PASSWORD)).toEqual({ ok: true, userId: 'u1', mustChangePassword: true });
  });

  it('spends a dummy verification on an unknown account and fails', async () => {
    const { deps, calls } = fakes();
    expect(await authenticatePassword(deps, 'mallory', 'guess')).toEqual({ ok: false });
    expect(calls.dummy).toEqual(['guess']);
    expect(calls.verify).toEqual([]);
  });

  it('spends a dummy verification on an account without a password', async () => {
    const { deps, calls } = fakes({ credential: null });
    expect(await authenticatePassword(deps, 'alice', PASSWORD)).toEqual({ ok: false });
    expect(calls.dummy).toEqual([PASSWORD]);
  });

  it('fails a wrong password after a real verification, changing nothing', async () => {
    const { deps, calls } = fakes({ needsRehash: true });
    expect(await authenticatePassword(deps, 'alice', 'wrong password')).toEqual({ ok: false });
    expect(calls.verify).toEqual(['wrong password']);
    expect(calls.dummy).toEqual([]);
    expect(calls.setPassword).toEqual([]);
  });

  it('fails a disabled account even with the right password, after the same work, without rehashing', async () => {
    const { deps, calls } = fakes({ disabled: true, needsRehash: true });
    expect(await authenticatePassword(deps, 'alice', PASSWORD)).toEqual({ ok: false });
    expect(calls.verify).toEqual([PASSWORD]);
    expect(calls.setPassword).toEqual([]);
  });

  it('upgrades a hash made with old parameters after a successful sign-in, keeping the must-change flag', async () => {
    const { deps, calls, stored } = fakes({ needsRehash: true, credential: { hash: `old$${PASSWORD}`, mustChange: true } });
    expect(await authenticatePassword(deps, 'alice', PASSWORD)).toMatchObject({ ok: true });
    expect(calls.setPassword).toEqual([['u1', { hash: `new$${PASSWORD}`, mustChange: true }]]);
    expect(stored.get('u1')!.hash).toBe(`new$${PASSWORD}`);
    // The upgraded hash no longer needs upgrading.
    expect(await authenticatePassword(deps, 'alice', PASSWORD)).toMatchObject({ ok: true });
    expect(calls.setPassword).toHaveLength(1);
  });

  it('does not rehash a current hash', async () => {
    const { deps, calls } = fakes({ needsRehash: false });
    await authenticatePassword(deps, 'alice', PASSWORD);
    expect(calls.hash).toEqual([]);
    expect(calls.setPassword).toEqual([]);
  });
});
