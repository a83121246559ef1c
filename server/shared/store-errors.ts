/**
 * Errors storage ports throw, whatever the store: adapters translate their driver's codes into
 * these, use cases translate these into AppError with their own words. Neither a pg error code
 * nor an HTTP status crosses the port.
 */
import { AppError } from './errors.js';

/** A record with the same unique key exists (a name, an identifier, an email in use). */
export class UniqueViolation extends Error {
  constructor(readonly what: string) {
    super(`a ${what} with this key exists`);
    this.name = 'UniqueViolation';
  }
}

/** A compare-and-set change named versions the record no longer has: someone changed it since it was read. */
export class StaleVersion extends Error {
  constructor(readonly what: string) {
    super(`the ${what} has changed since it was read`);
    this.name = 'StaleVersion';
  }
}

/** The record a change names does not exist (any more). */
export class RecordMissing extends Error {
  constructor(readonly what: string) {
    super(`${what} not found`);
    this.name = 'RecordMissing';
  }
}

/**
 * How a use case answers the port errors of one kind of record: a taken key is a conflict (with
 * the use case's wording), a stale version a failed If-Match precondition, a missing record 404.
 * Anything else is rethrown untouched.
 */
export function asAppError(error: unknown, words: { what: string; taken?: string }): unknown {
  if (error instanceof UniqueViolation) return new AppError('conflict', words.taken ?? `a ${words.what} with this key exists`);
  if (error instanceof StaleVersion) return new AppError('precondition_failed', `the ${words.what} has changed since it was read (If-Match does not name its current version)`);
  if (error instanceof RecordMissing) return new AppError('not_found', `${words.what} not found`);
  return error;
}

/** Runs a storage call and answers its port errors as AppError (see asAppError). */
export async function mapStoreErrors<T>(work: () => Promise<T>, words: { what: string; taken?: string }): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asAppError(error, words);
  }
}
