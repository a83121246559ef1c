/** Users and their password credentials in SQL. Unique violations become AppError conflicts. */
import { isStorableKey } from '../../server/shared/unicode.js';
import type { Knex } from 'knex';
import { AppError } from '../../server/shared/errors.js';
import { normalizeLogin, type CredentialRepository, type CredentialResets, type NewUser, type PasswordCredential, type User, type UserChanges, type UserRepository } from '../../server/modules/users/index.js';
import { newId } from '../../server/shared/ids.js';
import { toPage } from '../../server/shared/pagination.js';
import { toCount } from './knex.js';
import { executor } from './unit-of-work.js';
import { isUniqueViolation, likeContains, likePrefix, missOrStale, whereVersion } from './versioned.js';

interface UserRow {
  id: string;
  username: string;
  email: string | null;
  email_verified: boolean;
  profile: User['profile'];
  disabled: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  email: row.email,
  emailVerified: row.email_verified,
  profile: row.profile ?? {},
  disabled: row.disabled,
  createdAt: new Date(row.created_at),
  updatedAt: new Date(row.updated_at),
  version: row.version,
});

function changesToRow(changes: UserChanges): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (changes.username !== undefined) patch.username = changes.username;
  if (changes.email !== undefined) patch.email = changes.email;
  if (changes.emailVerified !== undefined) patch.email_verified = changes.emailVerified;
  if (changes.profile !== undefined) patch.profile = JSON.stringify(changes.profile);
  if (changes.disabled !== undefined) patch.disabled = changes.disabled;
  return patch;
}

const TAKEN = () => new AppError('conflict', 'username or email already in use');

export function createUserRepository(knex: Knex): UserRepository {
  const users = () => knex<UserRow>('users');
  return {
    async findById(id) {
      if (!isStorableKey(id)) return undefined;
      const row = await users().where({ id }).first();
      return row ? toUser(row) : undefined;
    },
    async findByLogin(identifier) {
      if (!isStorableKey(identifier)) return undefined;
      const login = normalizeLogin(identifier);
      const row = await users()
        .whereRaw('lower(username) = ?', [login])
        .orWhereRaw('lower(email) = ?', [login])
        .first();
      return row ? toUser(row) : undefined;
    },
    async findByUsername(username) {
      if (!isStorableKey(username)) return undefined;
      const row = await users().whereRaw('lower(username) = ?', [username.toLowerCase()]).first();
      return row ? toUser(row) : undefined;
    },
    async count() {
      const row = await users().count<{ count: unknown }[]>('* as count').first();
      return toCount(row?.count);
    },
    async create(user: NewUser, options) {
      try {
        const [row] = await executor(knex, options?.transaction)<UserRow>('users')
          .insert({ id: user.id, username: user.username, email: user.email, email_verified: user.emailVerified, profile: JSON.stringify(user.profile) as never })
          .returning('*');
        return toUser(row as UserRow);
      } catch (error) {
        if (isUniqueViolation(error)) throw TAKEN();
        throw error;
      }
    },
    async update(id, changes) {
      const patch = { ...changesToRow(changes), updated_at: knex.fn.now(), version: knex.raw('version + 1') };
      try {
        const [row] = await users().where({ id }).update(patch).returning('*');
        if (!row) throw new AppError('not_found', 'user not found');
        return toUser(row as UserRow);
      } catch (error) {
        if (isUniqueViolation(error)) throw TAKEN();
        throw error;
      }
    },
    async list(filter, page) {
      const query = users().orderByRaw('lower(username)').limit(page.limit + 1);
      if (page.after !== undefined) query.whereRaw('lower(username) > ?', [page.after]);
      if (filter.usernamePrefix) query.whereRaw("lower(username) LIKE ? ESCAPE '\\'", [likePrefix(normalizeLogin(filter.usernamePrefix))]);
      if (filter.emailPrefix) query.whereRaw("lower(email) LIKE ? ESCAPE '\\'", [likePrefix(normalizeLogin(filter.emailPrefix))]);
      const search = filter.search?.trim().normalize('NFKC');
      if (search) {
        const pattern = likeContains(search);
        // The names a person is known by: the username, the email and the profile's name claims.
        query.where((q) => {
          for (const column of ['username', 'email', "profile->>'name'", "profile->>'given_name'", "profile->>'family_name'", "profile->>'nickname'", "profile->>'preferred_username'"]) {
            q.orWhereRaw(`${column} ILIKE ? ESCAPE '\\'`, [pattern]);
          }
        });
      }
      if (filter.disabled !== undefined) query.where({ disabled: filter.disabled });
      if (filter.role !== undefined) {
        query.whereExists((q) =>
          q.select(knex.raw('1')).from('user_roles').join('roles', 'roles.id', 'user_roles.role_id').whereRaw('user_roles.user_id = users.id').andWhere('roles.name', filter.role!),
        );
      }
      const rows = (await query) as UserRow[];
      return toPage(rows.map(toUser), page.limit, (user) => user.username.toLowerCase());
    },
    async updateVersioned(id, versions, changes) {
      try {
        const [row] = await whereVersion(users().where({ id }), versions)
          .update({ ...changesToRow(changes), updated_at: knex.fn.now(), version: knex.raw('version + 1') })
          .returning('*');
        if (!row) return await missOrStale(() => users().where({ id }).first('id'), 'user');
        return toUser(row as UserRow);
      } catch (error) {
        if (isUniqueViolation(error)) throw TAKEN();
        throw error;
      }
    },
    async deleteVersioned(id, versions) {
      const deleted = await whereVersion(users().where({ id }), versions).delete().returning('id');
      if (!deleted.length) await missOrStale(() => users().where({ id }).first('id'), 'user');
    },
    async setRoles(id, versions, roleIds) {
      return knex.transaction(async (trx) => {
        const [row] = await whereVersion(trx<UserRow>('users').where({ id }), versions)
          .update({ updated_at: trx.fn.now(), version: trx.raw('version + 1') as never })
          .returning('*');
        if (!row) return missOrStale(() => trx('users').where({ id }).first('id'), 'user');
        await trx('user_roles').where({ user_id: id }).delete();
        if (roleIds.length) await trx('user_roles').insert(roleIds.map((roleId) => ({ user_id: id, role_id: roleId })));
        return toUser(row as UserRow);
      });
    },
    async roleNames(userIds) {
      const names = new Map<string, string[]>();
      if (!userIds.length) return names;
      const rows = (await knex('user_roles')
        .join('roles', 'roles.id', 'user_roles.role_id')
        .whereIn('user_roles.user_id', [...userIds])
        .orderBy('roles.name')
        .select('user_roles.user_id', 'roles.name')) as Array<{ user_id: string; name: string }>;
      for (const row of rows) names.set(row.user_id, [...(names.get(row.user_id) ?? []), row.name]);
      return names;
    },
  };
}

export function createCredentialRepository(knex: Knex): CredentialRepository & CredentialResets {
  return {
    async findPassword(userId) {
      const row = await knex('credentials').where({ user_id: userId, type: 'password' }).first('secret', 'data');
      if (!row) return undefined;
      return { hash: row.secret as string, mustChange: Boolean((row.data as { mustChange?: boolean })?.mustChange) };
    },
    async setPassword(userId, credential: PasswordCredential, options) {
      const db = executor(knex, options?.transaction);
      await db('credentials')
        .insert({ id: newId(), user_id: userId, type: 'password', secret: credential.hash, data: JSON.stringify({ mustChange: credential.mustChange }) })
        .onConflict(db.raw("(user_id) WHERE type = 'password'"))
        .merge({ secret: credential.hash, data: JSON.stringify({ mustChange: credential.mustChange }), updated_at: db.fn.now() });
    },
    async requirePasswordChange(userId) {
      const updated = await knex('credentials')
        .where({ user_id: userId, type: 'password' })
        .update({ data: knex.raw(`data || '{"mustChange": true}'::jsonb`), updated_at: knex.fn.now() })
        .returning('id');
      return updated.length > 0;
    },
    async deleteByType(userId, types) {
      const deleted = await knex('credentials').where({ user_id: userId }).whereIn('type', [...types]).delete().returning('id');
      return deleted.length;
    },
  };
}
