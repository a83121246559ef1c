import { describe, expect, it } from 'vitest';
import { checkResetLink, requestPasswordReset, resetPassword, type RecoveryDeps } from '../../../server/modules/self-service/index.js';
import { AppError } from '../../../server/shared/errors.js';
import { world } from './fakes.js';

function setup() {
  const w = world();
  const passwords = new Map<string, string>();
  const revoked: string[] = [];
  const forgotten: string[] = [];
  const deps = {
    ...w.deps,
    credentials: { findPassword: async () => undefined, setPassword: async (id: string, c: { hash: string }) => void passwords.set(id, c.hash) },
    hasher: { hash: async (p: string) => `hashed:${p}`, verify: async () => false, needsRehash: () => false, verifyAgainstDummy: async () => false as const },
    policy: { minLength: 12, blocklist: { has: (p: string) => p === 'passwordpassword' } },
    artifacts: { revokeEverything: async (id: string) => (revoked.push(id), { sessions: 2, grants: 3 }) },
    trustedDevices: { forgetAll: async (id: string) => (forgotten.push(id), 1) },
  } as unknown as RecoveryDeps;
  return { ...w, deps, passwords, revoked, forgotten };
}

const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

describe('recovery use cases', () => {
  it('sends a link to an existing account and nothing for an unknown address, auditing both', async () => {
    const w = setup();
    await requestPasswordReset(w.deps, 'alice@example.com', w.context);
    await requestPasswordReset(w.deps, 'nobody@example.com', w.context);
    expect(w.sent.map((m) => [m.template, m.to])).toEqual([['password-reset', 'alice@example.com']]);
    expect(w.events.map((e) => [e.type, e.outcome])).toEqual([['user.password.reset_requested', 'success'], ['user.password.reset_requested', 'failure']]);
  });

  it('throttles per typed address whether or not it exists', async () => {
    const w = setup();
    for (let i = 0; i < 3; i += 1) await requestPasswordReset(w.deps, 'nobody@example.com', w.context);
    await expect(requestPasswordReset(w.deps, 'nobody@example.com', w.context)).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('a refused password leaves the link usable; a good one spends it and revokes everything', async () => {
    const w = setup();
    await requestPasswordReset(w.deps, 'alice@example.com', w.context);
    const token = tokenOf(w.sent[0]!.data.link!);
    await expect(resetPassword(w.deps, token, 'passwordpassword', w.context)).rejects.toMatchObject({ code: 'invalid_input', details: { fields: [{ message: 'password_breached' }] } });
    expect(await checkResetLink(w.deps, token)).toBe('usable');
    await resetPassword(w.deps, token, 'a brand new passphrase', w.context);
    expect(w.passwords.get('u1')).toBe('hashed:a brand new passphrase');
    expect(w.revoked).toEqual(['u1']);
    expect(w.forgotten).toEqual(['u1']);
    expect(await checkResetLink(w.deps, token)).toBe('invalid');
    await expect(resetPassword(w.deps, token, 'another new passphrase', w.context)).rejects.toBeInstanceOf(AppError);
    expect(w.events.map((e) => e.type)).toEqual(expect.arrayContaining(['user.password.reset', 'user.sessions.revoked']));
  });

  it('expires', async () => {
    const w = setup();
    await requestPasswordReset(w.deps, 'alice@example.com', w.context);
    const token = tokenOf(w.sent[0]!.data.link!);
    w.clock.current = new Date(w.clock.current.getTime() + 1800_000);
    expect(await checkResetLink(w.deps, token)).toBe('expired');
    await expect(resetPassword(w.deps, token, 'a brand new passphrase', w.context)).rejects.toMatchObject({ code: 'not_found' });
    expect(w.revoked).toEqual([]);
  });

  it('a newer request supersedes the older link', async () => {
    const w = setup();
    await requestPasswordReset(w.deps, 'alice@example.com', w.context);
    await requestPasswordReset(w.deps, 'alice@example.com', w.context);
    expect(await checkResetLink(w.deps, tokenOf(w.sent[0]!.data.link!))).toBe('invalid');
    expect(await checkResetLink(w.deps, tokenOf(w.sent[1]!.data.link!))).toBe('usable');
  });
});
