/**
 * The passkey use case (server/modules/auth use-cases/passkeys.ts) with its real adapters —
 * @simplewebauthn/server, the passkey table and the challenge table on PGlite and Postgres — fed
 * responses of a software authenticator, including the ones a browser would never send: an
 * assertion for another origin or RP ID, a replayed assertion, a counter that goes backwards, no
 * user verification, another user's passkey, an authenticator outside the AAGUID allow-list.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createPasskeyRepository } from '../../../adapters/db/passkeys-repository.js';
import { createWebAuthnChallengeRepository } from '../../../adapters/db/webauthn-challenges-repository.js';
import { simpleWebAuthn } from '../../../adapters/webauthn/simplewebauthn.js';
import type { Database } from '../../../adapters/db/knex.js';
import { createPasskeys, type PasskeyDeps } from '../../../server/modules/auth/index.js';
import type { AuditEvent } from '../../../server/modules/compliance/index.js';
import { onEveryDatabase } from '../../helpers/stores.js';
import { SoftwareAuthenticator } from '../../helpers/software-authenticator.js';

const ORIGIN = 'https://id.example.com';
const RP = { id: 'id.example.com', name: 'Example', origins: [ORIGIN, 'https://app.example.com'] };
const YUBIKEY = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';

function setup(database: Database, options: { allowList?: string[]; password?: boolean } = {}) {
  const events: AuditEvent[] = [];
  const deps: PasskeyDeps = {
    passkeys: createPasskeyRepository(database.knex),
    challenges: createWebAuthnChallengeRepository(database.knex),
    webauthn: simpleWebAuthn,
    rp: RP,
    aaguidAllowList: options.allowList ?? [],
    signInMethods: async () => ({ hasPassword: options.password ?? true, linkedIdentities: 0 }),
    random: (n) => randomBytes(n),
    newId: randomUUID,
    clock: { now: () => new Date() },
    audit: { record: async (event) => void events.push(event) },
  };
  return { passkeys: createPasskeys(deps), events, refusals: () => events.filter((e) => e.type === 'auth.passkey.refused').map((e) => e.details?.reason) };
}

async function user(database: Database): Promise<string> {
  const id = randomUUID();
  await database.knex('users').insert({ id, username: `u${id.slice(0, 8)}`, profile: '{}' });
  return id;
}

/** A user with a registered passkey of `authenticator`. */
async function registered(database: Database, passkeys: ReturnType<typeof setup>['passkeys'], o: { synced?: boolean; aaguid?: string; counter?: number } = {}) {
  const userId = await user(database);
  const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP.id });
  const key = `test:${userId}`;
  const options = await passkeys.registrationOptions(key, { id: userId, username: 'someone' });
  const result = await passkeys.register(key, userId, authenticator.register(options, o), 'My key');
  expect(result).toMatchObject({ ok: true });
  return { userId, authenticator };
}

onEveryDatabase('passkey verification', (database) => {
  it('registers a passkey and signs in with it; each assertion needs a higher counter', async () => {
    const { passkeys } = setup(database());
    const { userId, authenticator } = await registered(database(), passkeys);
    const [listed] = await passkeys.list(userId);
    expect(listed).toMatchObject({ name: 'My key', synced: false, lastUsedAt: null });
    for (const counter of [1, 2, 7]) {
      const options = await passkeys.authenticationOptions('login-1');
      expect(await passkeys.authenticate('login-1', authenticator.assert(options, userId, { counter }))).toMatchObject({ ok: true, userId, amr: ['hwk', 'user'] });
    }
    expect((await passkeys.list(userId))[0]!.lastUsedAt).not.toBeNull();
  });

  it('refuses an assertion made for another origin or another RP ID', async () => {
    const { passkeys, refusals } = setup(database());
    const { userId, authenticator } = await registered(database(), passkeys);
    let options = await passkeys.authenticationOptions('login-2');
    expect(await passkeys.authenticate('login-2', authenticator.assert(options, userId, { counter: 1, origin: 'https://id.example.com.evil.test' }))).toEqual({ ok: false, reason: 'invalid_response' });
    options = await passkeys.authenticationOptions('login-2');
    expect(await passkeys.authenticate('login-2', authenticator.assert(options, userId, { counter: 1, rpId: 'evil.test' }))).toEqual({ ok: false, reason: 'invalid_response' });
    // A related origin from WEBAUTHN_RELATED_ORIGINS is accepted.
    options = await passkeys.authenticationOptions('login-2');
    expect(await passkeys.authenticate('login-2', authenticator.assert(options, userId, { counter: 1, origin: 'https://app.example.com' }))).toMatchObject({ ok: true });
    expect(refusals()).toEqual(['invalid_response', 'invalid_response']);
  });

  it('refuses a replayed assertion: its challenge was taken, and a new challenge does not match it', async () => {
    const { passkeys, refusals } = setup(database());
    const { userId, authenticator } = await registered(database(), passkeys);
    const options = await passkeys.authenticationOptions('login-3');
    const response = authenticator.assert(options, userId, { counter: 1 });
    expect(await passkeys.authenticate('login-3', response)).toMatchObject({ ok: true });
    expect(await passkeys.authenticate('login-3', response)).toEqual({ ok: false, reason: 'no_challenge' });
    await passkeys.authenticationOptions('login-3');
    expect(await passkeys.authenticate('login-3', response)).toEqual({ ok: false, reason: 'invalid_response' });
    // Two requests racing with one response: one wins.
    const fresh = await passkeys.authenticationOptions('login-3');
    const twice = authenticator.assert(fresh, userId, { counter: 2 });
    const raced = await Promise.all([passkeys.authenticate('login-3', twice), passkeys.authenticate('login-3', twice)]);
    expect(raced.filter((r) => r.ok)).toHaveLength(1);
    expect(refusals()).toEqual(['no_challenge', 'invalid_response', 'no_challenge']);
  });

  it('refuses a signature counter that goes backwards or stands still (a cloned key)', async () => {
    const { passkeys, refusals } = setup(database());
    const { userId, authenticator } = await registered(database(), passkeys);
    let options = await passkeys.authenticationOptions('login-4');
    expect(await passkeys.authenticate('login-4', authenticator.assert(options, userId, { counter: 10 }))).toMatchObject({ ok: true });
    for (const counter of [9, 10, 0]) {
      options = await passkeys.authenticationOptions('login-4');
      expect(await passkeys.authenticate('login-4', authenticator.assert(options, userId, { counter }))).toEqual({ ok: false, reason: 'counter_regressed' });
    }
    expect(refusals()).toEqual(['counter_regressed', 'counter_regressed', 'counter_regressed']);
  });

  it('accepts a synced passkey whose counter stays 0, as swk', async () => {
    const { passkeys } = setup(database());
    const { userId, authenticator } = await registered(database(), passkeys, { synced: true });
    expect((await passkeys.list(userId))[0]!.synced).toBe(true);
    for (let i = 0; i < 2; i += 1) {
      const options = await passkeys.authenticationOptions('login-5');
      expect(await passkeys.authenticate('login-5', authenticator.assert(options, userId, { synced: true }))).toMatchObject({ ok: true, amr: ['swk', 'user'] });
    }
  });

  it('refuses an assertion without user verification, and another account\'s passkey as second factor', async () => {
    const { passkeys } = setup(database());
    const { userId, authenticator } = await registered(database(), passkeys);
    let options = await passkeys.authenticationOptions('login-6');
    expect(await passkeys.authenticate('login-6', authenticator.assert(options, userId, { counter: 1, userVerified: false }))).toEqual({ ok: false, reason: 'invalid_response' });
    const other = await user(database());
    options = await passkeys.authenticationOptions('mfa-6', other);
    expect(await passkeys.authenticate('mfa-6', authenticator.assert(options, userId, { counter: 2 }))).toEqual({ ok: false, reason: 'wrong_user' });
    options = await passkeys.authenticationOptions('login-6');
    expect(await passkeys.authenticate('login-6', authenticator.assert(options, other, { counter: 3 }))).toEqual({ ok: false, reason: 'wrong_user' });
    options = await passkeys.authenticationOptions('login-6');
    expect(await passkeys.authenticate('login-6', { id: 'x', rawId: 'x', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' }, clientExtensionResults: {} })).toEqual({ ok: false, reason: 'unknown_credential' });
    options = await passkeys.authenticationOptions('login-6');
    for (const junk of [null, 'text', { id: 'a\u0000' }, { id: 'a', rawId: 'b', type: 'public-key', response: {} }]) {
      await passkeys.authenticationOptions('login-6');
      expect(await passkeys.authenticate('login-6', junk)).toEqual({ ok: false, reason: 'invalid_response' });
    }
    void options;
  });

  it('refuses a registration for another origin, a replayed one, and one outside the AAGUID allow-list', async () => {
    const { passkeys, refusals } = setup(database(), { allowList: [YUBIKEY] });
    const userId = await user(database());
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP.id });
    let options = await passkeys.registrationOptions('reg-7', { id: userId, username: 'x' });
    expect(await passkeys.register('reg-7', userId, authenticator.register(options, { origin: 'https://evil.test', aaguid: YUBIKEY }), undefined)).toEqual({ ok: false, reason: 'invalid_response' });
    options = await passkeys.registrationOptions('reg-7', { id: userId, username: 'x' });
    expect(await passkeys.register('reg-7', userId, authenticator.register(options), undefined)).toEqual({ ok: false, reason: 'authenticator_not_allowed' });
    options = await passkeys.registrationOptions('reg-7', { id: userId, username: 'x' });
    const good = authenticator.register(options, { aaguid: YUBIKEY });
    expect(await passkeys.register('reg-7', userId, good, '  ')).toMatchObject({ ok: true, passkey: { name: 'YubiKey 5 Series', authenticator: 'YubiKey 5 Series' } });
    expect(await passkeys.register('reg-7', userId, good, undefined)).toEqual({ ok: false, reason: 'no_challenge' });
    expect(refusals()).toEqual(['invalid_registration', 'authenticator_not_allowed']);
  });

  it('renames and removes passkeys, but never the last way to sign in', async () => {
    const { passkeys, events } = setup(database(), { password: false });
    const { userId } = await registered(database(), passkeys);
    const [only] = await passkeys.list(userId);
    expect(await passkeys.rename(userId, only!.id, ' Work\u0000 laptop ')).toBe(true);
    expect((await passkeys.list(userId))[0]!.name).toBe('Work laptop');
    expect(await passkeys.rename(userId, only!.id, '\ud800'.repeat(3) + 'x'.repeat(200))).toBe(true);
    expect((await passkeys.list(userId))[0]!.name).toHaveLength(64);
    expect(await passkeys.remove(userId, only!.id)).toBe('last');
    expect(await passkeys.remove(userId, 'not-there')).toBe('not_found');
    const second = new SoftwareAuthenticator({ origin: ORIGIN, rpId: RP.id });
    const options = await passkeys.registrationOptions(`test:${userId}`, { id: userId, username: 'x' });
    expect(await passkeys.register(`test:${userId}`, userId, second.register(options), 'Phone')).toMatchObject({ ok: true });
    expect(await passkeys.remove(userId, only!.id)).toBe('removed');
    expect((await passkeys.list(userId)).map((p) => p.name)).toEqual(['Phone']);
    expect(events.map((e) => e.type)).toEqual(['auth.passkey.added', 'auth.passkey.renamed', 'auth.passkey.renamed', 'auth.passkey.added', 'auth.passkey.removed']);
  });
});
