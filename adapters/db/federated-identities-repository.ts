/** Federated identities in SQL: unique per (issuer, subject); removed with their user. */
import type { Knex } from 'knex';
import type { FederatedIdentity, FederatedIdentityStore } from '../../server/modules/federation/index.js';
import { AppError } from '../../server/shared/errors.js';
import { isUniqueViolation } from './versioned.js';

interface Row {
  id: string;
  user_id: string;
  provider_id: string;
  issuer: string;
  subject: string;
  email: string | null;
  created_at: Date | string;
  last_used_at: Date | string | null;
}

const toIdentity = (row: Row): FederatedIdentity => ({
  id: row.id,
  userId: row.user_id,
  providerId: row.provider_id,
  issuer: row.issuer,
  subject: row.subject,
  email: row.email,
  createdAt: new Date(row.created_at),
  lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
});

export function createFederatedIdentityRepository(knex: Knex): FederatedIdentityStore {
  const table = () => knex<Row>('federated_identities');
  return {
    async find(issuer, subject) {
      const row = await table().where({ issuer, subject }).first();
      return row ? toIdentity(row) : undefined;
    },
    async listForUser(userId) {
      return (await table().where({ user_id: userId }).orderBy('created_at')).map(toIdentity);
    },
    async create(i) {
      try {
        await table().insert({ id: i.id, user_id: i.userId, provider_id: i.providerId, issuer: i.issuer, subject: i.subject, email: i.email, created_at: i.createdAt, last_used_at: i.createdAt });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('conflict', 'this upstream account is already linked');
        throw error;
      }
      return { ...i, lastUsedAt: i.createdAt };
    },
    async touch(id, at) {
      await table().where({ id }).update({ last_used_at: at });
    },
    async remove(userId, id) {
      return (await table().where({ id, user_id: userId }).delete().returning('id')).length > 0;
    },
  };
}
