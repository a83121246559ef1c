/**
 * Optimistic concurrency (RFC 9110 §8.8.3, §13.1.1, RFC 6585 §3): every versioned representation
 * carries a strong ETag naming its version; a change must send it back in If-Match. Without
 * If-Match: 428. With a tag that is not the current version: 412 (decided by the store's
 * compare-and-set, never by a read before the write).
 */
import { AppError } from '../../../../shared/errors.js';
import type { ExpectedVersions } from '../../../../shared/versions.js';

export function etagOf(version: number): string {
  return `"v${version}"`;
}

/**
 * @returns the versions If-Match names (weak tags never match: strong comparison).
 * @throws AppError precondition_required when the header is missing or is `*`, which would
 * let a change overwrite a version the caller never saw; precondition_failed when no tag names a version.
 */
export function versionsFromIfMatch(header: string | undefined): number[] {
  const value = header?.trim();
  if (!value || value === '*') {
    throw new AppError('precondition_required', 'send If-Match with the ETag of the representation you read');
  }
  const versions = value
    .split(',')
    .map((tag) => /^"v([1-9][0-9]{0,15})"$/.exec(tag.trim())?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .filter(Number.isSafeInteger);
  if (!versions.length) throw new AppError('precondition_failed', 'If-Match does not name the current version');
  return versions;
}

/** If-Match of an action that does not require it: absent or `*` (any current representation) → 'any'. */
export function optionalVersions(header: string | undefined): ExpectedVersions {
  const value = header?.trim();
  return !value || value === '*' ? 'any' : versionsFromIfMatch(value);
}
