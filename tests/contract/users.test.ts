/**
 * The users ports (UserRepository, CredentialRepository, CredentialResets) against every SQL
 * database: lookups by login case-insensitively, taken names as conflicts, ordered and filtered
 * pages, compare-and-set by version (stale → precondition_failed, missing → not_found), roles
 * replaced atomically, and the password credential upserted, flagged and deleted by type.
 */
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createCredentialRepository, createUserRepository } from '../../adapters/db/users-repository.js';
import type { NewUser } from '../../server/modules/users/index.js';
import { onEveryDatabase } from '../helpers/stores.js';

/** A fresh name per call: the suite shares one database across its tests. */
const unique = (stem: string) => `${stem}-${randomBytes(4).toString('hex')}`;
const newUser = (username: string, extra: Partial<NewUser> = {}): NewUser => ({ id: unique('u'), username, email: `${username}@example.com`, emailVerified: false, profile: { name: username }, ...extra });

onEveryDatabase('users ports', (database) => {
  const users = () => createUserRepository(database().knex);
  const credentials = () => createCredentialRepository(database().knex);

  it('creates a user and finds it by id, by username or email case-insensitively, and counts it', async () => {
    const before = await users().count();
    const name = unique('Ann');
    const created = await users().create(newUser(name, { profile: { name: 'Ann', given_name: 'Ann' } }));
    expect(created).toMatchObject({ username: name, email: `${name}@example.com`, emailVerified: false, disabled: false, version: 1, profile: { name: 'Ann', given_name: 'Ann' } });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(await users().findById(created.id)).toEqual(created);
    expect((await users().findByLogin(` ${name.toUpperCase()} `))?.id).toBe(created.id);
    expect((await users().findByLogin(`${name}@EXAMPLE.com`))?.id).toBe(created.id);
    expect((await users().findByUsername(name.toUpperCase()))?.id).toBe(created.id);
    expect(await users().findByUsername(`${name}@example.com`)).toBeUndefined();
    expect(await users().findById('no-such-user')).toBeUndefined();
    expect(await users().count()).toBe(before + 1);
  });

  it('refuses a taken username or email as a conflict', async () => {
    const name = unique('ben');
    await users().create(newUser(name));
    await expect(users().create(newUser(name, { email: `${unique('other')}@example.com` }))).rejects.toMatchObject({ code: 'conflict' });
    await expect(users().create(newUser(unique('ben2'), { email: `${name}@example.com` }))).rejects.toMatchObject({ code: 'conflict' });
    const other = await users().create(newUser(unique('cid')));
    await expect(users().update(other.id, { username: name })).rejects.toMatchObject({ code: 'conflict' });
    await expect(users().updateVersioned(other.id, 'any', { email: `${name}@example.com` })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('update changes fields and the version; an unknown id is not_found', async () => {
    const created = await users().create(newUser(unique('dora')));
    const updated = await users().update(created.id, { emailVerified: true, profile: { name: 'Dora' } });
    expect(updated).toMatchObject({ emailVerified: true, profile: { name: 'Dora' }, version: created.version + 1, username: created.username });
    await expect(users().update('no-such-user', { emailVerified: true })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists in order of lower(username), in pages, filtered by prefix, state and role', async () => {
    const stem = unique('list').toLowerCase();
    const names = [`${stem}-b`, `${stem}-A`, `${stem}-c`, `${stem}_x`];
    const made = [];
    for (const name of names) made.push(await users().create(newUser(name)));
    await users().updateVersioned(made[2]!.id, 'any', { disabled: true });
    const first = await users().list({ usernamePrefix: stem }, { limit: 2 });
    expect(first.items.map((u) => u.username)).toEqual([`${stem}-A`, `${stem}-b`]);
    expect(first.nextKey).toBe(`${stem}-b`);
    const second = await users().list({ usernamePrefix: stem }, { limit: 2, after: first.nextKey });
    expect(second.items.map((u) => u.username)).toEqual([`${stem}-c`, `${stem}_x`]);
    expect(second.nextKey).toBeUndefined();
    // LIKE wildcards in a prefix are literal: "_" matches only "_".
    expect((await users().list({ usernamePrefix: `${stem}_` }, { limit: 10 })).items.map((u) => u.username)).toEqual([`${stem}_x`]);
    expect((await users().list({ emailPrefix: `${stem}-C@` }, { limit: 10 })).items.map((u) => u.username)).toEqual([`${stem}-c`]);
    expect((await users().list({ usernamePrefix: stem, disabled: true }, { limit: 10 })).items.map((u) => u.username)).toEqual([`${stem}-c`]);
    const role = unique('role');
    await database().knex('roles').insert({ id: role, name: role, source: 'admin' });
    await users().setRoles(made[0]!.id, 'any', [role]);
    expect((await users().list({ role }, { limit: 10 })).items.map((u) => u.username)).toEqual([`${stem}-b`]);
  });

  it('searches text anywhere in the username, email or profile names, case-insensitively, wildcards literal', async () => {
    const stem = unique('find').toLowerCase();
    await users().create(newUser(`${stem}-one`, { email: `first@${stem}.example`, profile: { name: 'Émile Zola', nickname: 'Naturalist' } }));
    await users().create(newUser(`${stem}-two`, { profile: { given_name: 'Victor', family_name: 'Hugo 100%' } }));
    const search = async (text: string) => (await users().list({ search: text, usernamePrefix: stem }, { limit: 10 })).items.map((u) => u.username);
    expect(await search('ZOLA')).toEqual([`${stem}-one`]);
    expect(await search('naturalist')).toEqual([`${stem}-one`]);
    expect(await search('hugo')).toEqual([`${stem}-two`]);
    expect(await search(`FIRST@${stem}`)).toEqual([`${stem}-one`]);
    expect(await search('-tw')).toEqual([`${stem}-two`]);
    expect(await search('%')).toEqual([`${stem}-two`]);
    expect(await search('_')).toEqual([]);
    expect(await search('  ')).toEqual([`${stem}-one`, `${stem}-two`]);
  });

  it('updateVersioned and deleteVersioned apply only to a named version; stale is precondition_failed, missing not_found', async () => {
    const created = await users().create(newUser(unique('eve')));
    await expect(users().updateVersioned(created.id, [created.version + 5], { disabled: true })).rejects.toMatchObject({ code: 'precondition_failed' });
    const updated = await users().updateVersioned(created.id, [created.version], { disabled: true });
    expect(updated).toMatchObject({ disabled: true, version: created.version + 1 });
    // Of two writers holding the same version exactly one wins.
    const raced = await Promise.allSettled([users().updateVersioned(created.id, [updated.version], { profile: { name: 'one' } }), users().updateVersioned(created.id, [updated.version], { profile: { name: 'two' } })]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await expect(users().updateVersioned('no-such-user', 'any', { disabled: false })).rejects.toMatchObject({ code: 'not_found' });
    await expect(users().deleteVersioned(created.id, [created.version])).rejects.toMatchObject({ code: 'precondition_failed' });
    const current = (await users().findById(created.id))!;
    await users().deleteVersioned(created.id, [current.version]);
    expect(await users().findById(created.id)).toBeUndefined();
    await expect(users().deleteVersioned(created.id, 'any')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('setRoles replaces the roles and the version together; roleNames lists them sorted', async () => {
    const created = await users().create(newUser(unique('fay')));
    const [r1, r2] = [unique('b-role'), unique('a-role')];
    await database().knex('roles').insert([{ id: r1, name: r1, source: 'admin' }, { id: r2, name: r2, source: 'admin' }]);
    const once = await users().setRoles(created.id, [created.version], [r1, r2]);
    expect(once.version).toBe(created.version + 1);
    expect((await users().roleNames([created.id])).get(created.id)).toEqual([r2, r1]);
    await expect(users().setRoles(created.id, [created.version], [])).rejects.toMatchObject({ code: 'precondition_failed' });
    expect((await users().roleNames([created.id])).get(created.id)).toEqual([r2, r1]);
    await users().setRoles(created.id, 'any', [r1]);
    const names = await users().roleNames([created.id, 'no-such-user']);
    expect(names.get(created.id)).toEqual([r1]);
    expect(names.has('no-such-user')).toBe(false);
    expect((await users().roleNames([])).size).toBe(0);
    await expect(users().setRoles('no-such-user', 'any', [])).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps one password per user: set replaces it, a change can be required, credentials delete by type', async () => {
    const created = await users().create(newUser(unique('gus')));
    expect(await credentials().findPassword(created.id)).toBeUndefined();
    expect(await credentials().requirePasswordChange(created.id)).toBe(false);
    await credentials().setPassword(created.id, { hash: '$argon2id$first', mustChange: false });
    await credentials().setPassword(created.id, { hash: '$argon2id$second', mustChange: false });
    expect(await credentials().findPassword(created.id)).toEqual({ hash: '$argon2id$second', mustChange: false });
    expect(await credentials().requirePasswordChange(created.id)).toBe(true);
    expect(await credentials().findPassword(created.id)).toEqual({ hash: '$argon2id$second', mustChange: true });
    await database().knex('credentials').insert({ id: unique('c'), user_id: created.id, type: 'totp', secret: 'sealed', data: '{}' });
    expect(await credentials().deleteByType(created.id, ['totp', 'recovery'])).toBe(1);
    expect(await credentials().deleteByType(created.id, ['totp'])).toBe(0);
    expect(await credentials().findPassword(created.id)).toEqual({ hash: '$argon2id$second', mustChange: true });
    expect(await credentials().deleteByType(created.id, ['password'])).toBe(1);
    expect(await credentials().findPassword(created.id)).toBeUndefined();
  });
});
