/**
 * Compare-and-set for versioned rows: the version is checked and incremented in the one UPDATE
 * (or DELETE) that makes the change, so of two concurrent writers holding the same version
 * exactly one succeeds. Only after a miss is the row read, to tell a stale version from a
 * missing row.
 */
import type { Knex } from 'knex';
import { AppError } from '../../server/shared/errors.js';
import { RecordMissing, StaleVersion, UniqueViolation } from '../../server/shared/store-errors.js';
import type { ExpectedVersions } from '../../server/shared/versions.js';

export function whereVersion<T extends Knex.QueryBuilder>(query: T, versions: ExpectedVersions): T {
  return versions === 'any' ? query : (query.whereIn('version', [...versions]) as T);
}

/**
 * For adapters not yet speaking port errors (users, webhook subscriptions).
 * @throws AppError precondition_failed when the row exists (it has another version), else not_found.
 */
export async function missOrStale(exists: () => Promise<unknown>, what: string): Promise<never> {
  if (await exists()) throw new AppError('precondition_failed', `the ${what} has changed since it was read (If-Match does not name its current version)`);
  throw new AppError('not_found', `${what} not found`);
}

/** @throws StaleVersion when the row exists (it has another version), else RecordMissing. */
export async function staleOrMissing(exists: () => Promise<unknown>, what: string): Promise<never> {
  if (await exists()) throw new StaleVersion(what);
  throw new RecordMissing(what);
}

const UNIQUE_VIOLATION = '23505';
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION;
}

/** Runs a write, answering Postgres' unique violation (23505) as the port's UniqueViolation. */
export async function uniquely<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new UniqueViolation(what);
    throw error;
  }
}

/** `%text%` for LIKE / ILIKE, with the text's own wildcards escaped. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `prefix%` for LIKE, with the prefix's own wildcards escaped. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
