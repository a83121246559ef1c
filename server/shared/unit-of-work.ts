/**
 * Transactions as a port. A use case that must commit a change and its side effects together
 * (a user's new email address and the verification message, an admin action and its webhook
 * deliveries) runs in `unitOfWork.run(tx => ...)` and hands `tx` to every repository and to
 * `notifier.enqueue(intent, { transaction: tx })`. What a Transaction is stays the adapters' business.
 */

/** An open transaction, opaque outside the database adapters. */
export interface Transaction {
  readonly __transaction: unique symbol;
}

export interface UnitOfWork {
  /** Commits when `work` resolves, rolls back when it throws (and rethrows). */
  run<T>(work: (transaction: Transaction) => Promise<T>): Promise<T>;
}

/** Options every write that can join a caller's transaction accepts. */
export interface InTransaction {
  transaction?: Transaction;
}
