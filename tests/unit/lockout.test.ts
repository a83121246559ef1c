/**
 * server/modules/auth/use-cases/lockout.ts with an in-memory backoff store and a fake clock:
 * which keys are charged, how long each blocks, that success clears only the caller's own
 * (name, address) counter, and that every lockout is audited without the typed secret.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT_SCHEDULES, lockout, type BackoffStore } from '../../server/modules/auth/index.js';
import { ACCOUNT_BACKOFF, ACCOUNT_IP_BACKOFF, IP_BACKOFF, MFA_BACKOFF } from '../../server/modules/auth/domain/backoff.js';
import type { AuditEvent } from '../../server/modules/compliance/index.js';

function memoryStore() {
  let now = 0;
  const failures = new Map<string, number>();
  const blocks = new Map<string, number>();
  const store: BackoffStore = {
    recordFailure: async (key) => {
      failures.set(key, (failures.get(key) ?? 0) + 1);
      return failures.get(key)!;
    },
    block: async (key, seconds) => void blocks.set(key, now + seconds * 1000),
    blockedFor: async (key) => Math.max(0, Math.ceil(((blocks.get(key) ?? 0) - now) / 1000)),
    reset: async (key) => {
      failures.delete(key);
      blocks.delete(key);
    },
  };
  return { store, failures, advance: (ms: number) => (now += ms) };
}

function setup() {
  const memory = memoryStore();
  const events: AuditEvent[] = [];
  const locks = lockout({ store: memory.store, audit: { record: async (e) => void events.push(e) } });
  return { ...memory, events, locks };
}

describe('lockout', () => {
  it('uses the production schedules unless given others, and then only those', async () => {
    expect(DEFAULT_LOCKOUT_SCHEDULES).toEqual({ accountIp: ACCOUNT_IP_BACKOFF, account: ACCOUNT_BACKOFF, ip: IP_BACKOFF, mfa: MFA_BACKOFF });
    const memory = memoryStore();
    const short = { free: 1, baseSeconds: 3, capSeconds: 5 };
    const locks = lockout({ store: memory.store, audit: { record: async () => undefined } }, { accountIp: short, account: short, ip: short, mfa: short });
    await locks.passwordFailed('alice', '192.0.2.1');
    expect(await locks.passwordWait('alice', '192.0.2.1')).toBe(0);
    await locks.passwordFailed('alice', '192.0.2.1');
    expect(await locks.passwordWait('alice', '192.0.2.1')).toBe(3);
    await locks.mfaFailed('u1');
    await locks.mfaFailed('u1');
    expect(await locks.mfaWait('u1')).toBe(3);
  });

  it('charges the name at this address, the name anywhere and the address, by the normalized name', async () => {
    const { locks, failures } = setup();
    await locks.passwordFailed('  Alice ', '192.0.2.1');
    expect([...failures.keys()].sort()).toEqual(['pwd-ip:192.0.2.1', 'pwd:alice', 'pwd:alice:ip:192.0.2.1']);
  });

  it('blocks the name at one address after the free failures, doubling, and never past the cap', async () => {
    const { locks, advance } = setup();
    for (let i = 0; i < ACCOUNT_IP_BACKOFF.free; i += 1) await locks.passwordFailed('alice', '192.0.2.1');
    expect(await locks.passwordWait('alice', '192.0.2.1')).toBe(0);
    await locks.passwordFailed('alice', '192.0.2.1');
    expect(await locks.passwordWait('alice', '192.0.2.1')).toBe(1);
    await locks.passwordFailed('alice', '192.0.2.1');
    expect(await locks.passwordWait('alice', '192.0.2.1')).toBe(2);
    for (let i = 0; i < 40; i += 1) await locks.passwordFailed('alice', '192.0.2.1');
    expect(await locks.passwordWait('alice', '192.0.2.1')).toBe(ACCOUNT_IP_BACKOFF.capSeconds);
    advance(ACCOUNT_IP_BACKOFF.capSeconds * 1000);
    expect(await locks.passwordWait('alice', '192.0.2.1')).toBe(0);
  });

  it('holds the owner at another address for at most the account-wide cap', async () => {
    const { locks } = setup();
    for (let i = 0; i < 200; i += 1) await locks.passwordFailed('alice', `198.51.100.${i % 250}`);
    const wait = await locks.passwordWait('alice', '203.0.113.9');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(ACCOUNT_BACKOFF.capSeconds);
  });

  it('blocks an address spraying many names', async () => {
    const { locks } = setup();
    for (let i = 0; i <= IP_BACKOFF.free; i += 1) await locks.passwordFailed(`user${i}`, '192.0.2.50');
    expect(await locks.passwordWait('someone-new', '192.0.2.50')).toBeGreaterThan(0);
    expect(await locks.passwordWait('someone-new', '192.0.2.51')).toBe(0);
  });

  it('clears only the name-at-address counter on success', async () => {
    const { locks, failures } = setup();
    await locks.passwordFailed('alice', '192.0.2.1');
    await locks.passwordSucceeded('alice', '192.0.2.1');
    expect([...failures.keys()].sort()).toEqual(['pwd-ip:192.0.2.1', 'pwd:alice']);
  });

  it('backs off second-factor codes per account and audits each lockout without secrets', async () => {
    const { locks, events } = setup();
    for (let i = 0; i < MFA_BACKOFF.free; i += 1) await locks.mfaFailed('u1', { ip: '192.0.2.1' });
    expect(await locks.mfaWait('u1')).toBe(0);
    expect(events).toEqual([]);
    await locks.mfaFailed('u1', { ip: '192.0.2.1' });
    expect(await locks.mfaWait('u1')).toBe(MFA_BACKOFF.baseSeconds);
    expect(events).toEqual([
      { type: 'auth.lockout', outcome: 'denied', actor: { type: 'user', id: 'u1' }, subject: { type: 'user', id: 'u1' }, ip: '192.0.2.1', details: { stage: 'mfa', seconds: MFA_BACKOFF.baseSeconds } },
    ]);
    await locks.mfaSucceeded('u1');
    expect(await locks.mfaWait('u1')).toBe(0);
  });
});
