/**
 * Cursor pagination: a page holds up to `limit` items in a stable order (a unique sort key) and
 * an opaque cursor naming the last key, so the next page starts strictly after it. Cursors are
 * base64url JSON; a cursor that does not decode is an input error, never a 500.
 */
import { AppError } from './errors.js';

export interface PageRequest {
  limit: number;
  /** The sort key of the last item of the previous page. */
  after?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** The sort key of the last item, when more items follow. */
  nextKey?: string;
}

export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

/** @throws AppError invalid_input (field `cursor`) for a cursor this server did not make. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    if (typeof parsed.k === 'string') return parsed.k;
  } catch {
    // fall through
  }
  throw new AppError('invalid_input', 'cursor is not valid', { fields: [{ field: 'cursor', message: 'is not a cursor of this API' }] });
}

/**
 * Turns `limit + 1` rows read in key order into a page: the extra row only says a next page exists.
 */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, nextKey: keyOf(items[items.length - 1]!) };
}
