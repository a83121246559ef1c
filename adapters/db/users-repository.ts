/** Users and their password credentials in SQL. Unique violations become AppError conflicts. */
import type { Knex } from 'knex';
import { AppError } from '../../server/shared/errors.js';
import { normalizeLogin, type CredentialRepository, type NewUser, type PasswordCredential, type User, type UserRepository } from '../../server/modules/users/index.js';
import { newId } from '../../server/shared/ids.js';
import { toCount } from './knex.js';

interface UserRow {
  id: string;
  username: string;
  email: string | null;
  email_verified: boolean;
  profile: User['profile'];
  disabled: boolean;
  created_at: Date | string;
  updated_at: Date | string;
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
});

const UNIQUE_VIOLATION = '23505';
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === UNIQUE_VIOLATION;
}

export function createUserRepository(knex: Knex): UserRepository {
  const users = () => knex<UserRow>('users');
  return {
    async findById(id) {
      const row = await users().where({ id }).first();
      return row ? toUser(row) : undefined;
    },
    async findByLogin(identifier) {
      const login = normalizeLogin(identifier);
      const row = await users()
        .whereRaw('lower(username) = ?', [login])
        .orWhereRaw('lower(email) = ?', [login])
        .first();
      return row ? toUser(row) : undefined;
    },
    async findByUsername(username) {
      const row = await users().whereRaw('lower(username) = ?', [username.toLowerCase()]).first();
      return row ? toUser(row) : undefined;
    },
    async count() {
      const row = await users().count<{ count: unknown }[]>('* as count').first();
      return toCount(row?.count);
    },
    async create(user: NewUser) {
      try {
        const [row] = await users()
          .insert({ id: user.id, username: user.username, email: user.email, email_verified: user.emailVerified, profile: JSON.stringify(user.profile) as never })
          .returning('*');
        return toUser(row as UserRow);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('conflict', 'username or email already in use');
        throw error;
      }
    },
    async listPage({ after, limit }) {
      const query = users().orderByRaw('lower(username)').limit(limit);
      if (after !== undefined) query.whereRaw('lower(username) > ?', [after.toLowerCase()]);
      return (await query).map(toUser);
    },
    async update(id, changes) {
      const patch: Record<string, unknown> = { updated_at: knex.fn.now() };
      if (changes.username !== undefined) patch.username = changes.username;
      if (changes.email !== undefined) patch.email = changes.email;
      if (changes.emailVerified !== undefined) patch.email_verified = changes.emailVerified;
      if (changes.profile !== undefined) patch.profile = JSON.stringify(changes.profile);
      try {
        const [row] = await users().where({ id }).update(patch).returning('*');
        if (!row) throw new AppError('not_found', 'user not found');
        return toUser(row as UserRow);
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('conflict', 'username or email already in use');
        throw error;
      }
    },
  };
}

export function createCredentialRepository(knex: Knex): CredentialRepository {
  return {
    async findPassword(userId) {
      const row = await knex('credentials').where({ user_id: userId, type: 'password' }).first('secret', 'data');
      if (!row) return undefined;
      return { hash: row.secret as string, mustChange: Boolean((row.data as { mustChange?: boolean })?.mustChange) };
    },
    async setPassword(userId, credential: PasswordCredential) {
      await knex('credentials')
        .insert({ id: newId(), user_id: userId, type: 'password', secret: credential.hash, data: JSON.stringify({ mustChange: credential.mustChange }) })
        .onConflict(knex.raw("(user_id) WHERE type = 'password'"))
        .merge({ secret: credential.hash, data: JSON.stringify({ mustChange: credential.mustChange }), updated_at: knex.fn.now() });
    },
  };
}
