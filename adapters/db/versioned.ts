/**
 * Compare-and-set for versioned rows: the version is checked and incremented in the one UPDATE
 * (or DELETE) that makes the change, so of two concurrent writers holding the same version
 * exactly one succeeds. Only after a miss is the row read, to tell a stale version (412) from a
 * missing row (404).
 */
import type { Knex } from 'knex';
import { AppError } from '../../server/shared/errors.js';
import type { ExpectedVersions } from '../../server/shared/versions.js';

export function whereVersion<T extends Knex.QueryBuilder>(query: T, versions: ExpectedVersions): T {
  return versions === 'any' ? query : (query.whereIn('version', [...versions]) as T);
}

/** @throws AppError precondition_failed when the row exists (it has another version), else not_found. */
export async function missOrStale(exists: () => Promise<unknown>, what: string): Promise<never> {
  if (await exists()) throw new AppError('precondition_failed', `the ${what} has changed since it was read (If-Match does not name its current version)`);
  throw new AppError('not_found', `${what} not found`);
}

const UNIQUE_VIOLATION = '23505';
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === UNIQUE_VIOLATION;
}

/** `prefix%` for LIKE, with the prefix's own wildcards escaped. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
