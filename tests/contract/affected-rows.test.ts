/**
 * UPDATE and DELETE resolve to the affected row count on both databases (issue 11, defect 14):
 * through knex-pglite a plain `.delete()` once resolved to the raw result object, so
 * `deleted !== 1` held and DELETE /admin/v1/webhooks/{id} answered 404 after deleting. Every
 * count-returning form adapters/ uses, inside and outside a transaction, plus that repository.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretSealer } from '../../adapters/crypto/envelope.js';
import { createSubscriptionRepository } from '../../adapters/db/webhook-subscriptions-repository.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../helpers/stores.js';

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUrl)(`affected row counts on ${kind}`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await createTestDatabase(kind);
      await db.database.knex.schema.createTable('counted', (t) => {
        t.integer('id').primary();
        t.integer('n').notNullable();
      });
      await db.database.knex('counted').insert([{ id: 1, n: 0 }, { id: 2, n: 0 }, { id: 3, n: 0 }]);
    });
    afterEach(async () => {
      await db.drop();
    });

    it('counts update, increment, decrement, delete and del, in and out of a transaction', async () => {
      const { knex } = db.database;
      expect(await knex('counted').update({ n: 5 })).toBe(3);
      expect(await knex('counted').where({ id: 9 }).update({ n: 5 })).toBe(0);
      expect(await knex('counted').where({ id: 1 }).increment('n', 1)).toBe(1);
      expect(await knex('counted').where({ id: 1 }).decrement('n', 1)).toBe(1);
      expect(await knex('counted').where({ id: 1 }).delete()).toBe(1);
      expect(await knex('counted').where({ id: 1 }).del()).toBe(0);
      await knex.transaction(async (trx) => {
        expect(await trx('counted').where({ id: 2 }).update({ n: 1 })).toBe(1);
        expect(await trx('counted').where({ id: 2 }).delete()).toBe(1);
      });
      expect(await knex('counted').whereIn('id', [3]).delete(['id'])).toEqual([{ id: 3 }]);
      // Raw results are left alone.
      expect((await knex.raw('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });

    it('deletes a webhook subscription without reporting it missing', async () => {
      const repository = createSubscriptionRepository(db.database.knex, createSecretSealer(randomBytes(32).toString('base64url')));
      const created = await repository.create({ url: 'https://hooks.example/x', description: '', eventTypes: ['auth.lockout'], active: true }, 'whsec_test');
      await expect(repository.delete(created.id, [created.version])).resolves.toBeUndefined();
      expect(await repository.find(created.id)).toBeUndefined();
      await expect(repository.delete(created.id, 'any')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
