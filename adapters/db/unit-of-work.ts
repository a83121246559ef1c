/** The UnitOfWork port over knex: a Transaction is a knex transaction, seen as opaque by use cases. */
import type { Knex } from 'knex';
import type { Transaction, UnitOfWork } from '../../server/shared/unit-of-work.js';

export function createUnitOfWork(knex: Knex): UnitOfWork {
  return { run: (work) => knex.transaction((trx) => work(trx as unknown as Transaction)) };
}

/** The caller's transaction when one is given, else the pool: writes join the caller's commit. */
export function executor(knex: Knex, transaction: Transaction | undefined): Knex {
  return transaction ? (transaction as unknown as Knex.Transaction) : knex;
}
