/**
 * The paged lists of /account (sessions, apps): PAGE_SIZE rows per page, newest first, each list
 * with its own cursor in the query string (`?sessions=…&apps=…`), so moving through one keeps the
 * other where it was. Cursors are opaque (shared/pagination); one this server did not make is a
 * 400 page. An account can hold hundreds of sessions and grants: the page stays small.
 */
import type { ListPage, ListRequest } from '../server/modules/self-service/index.js';
import { AppError } from '../server/shared/errors.js';
import { decodeCursor, encodeCursor } from '../server/shared/pagination.js';

// 20 rows keep the page a few tens of KB and the list readable on a phone.
export const PAGE_SIZE = 20;

export const LISTS = ['sessions', 'apps'] as const;
export type ListName = (typeof LISTS)[number];

/** The cursor query of each list as the request gave it (only well-formed values are kept). */
export type ListCursors = Partial<Record<ListName, string>>;

const CURSOR = /^[A-Za-z0-9_-]{1,600}$/;

export function cursorsOf(query: Record<string, unknown>): ListCursors {
  const cursors: ListCursors = {};
  for (const list of LISTS) {
    const value = query[list];
    if (typeof value === 'string' && CURSOR.test(value)) cursors[list] = value;
  }
  return cursors;
}

/** @throws AppError invalid_input for a cursor this server did not make. */
export function pageRequest(cursor: string | undefined): ListRequest {
  const decoded = decodeCursor(cursor);
  if (decoded === undefined) return { limit: PAGE_SIZE };
  const [direction, ...rest] = decoded.split(':');
  const key = rest.join(':');
  if (direction === 'after' && key) return { limit: PAGE_SIZE, after: key };
  if (direction === 'before' && key) return { limit: PAGE_SIZE, before: key };
  throw new AppError('invalid_input', 'cursor is not valid', { fields: [{ field: 'cursor', message: 'is not a cursor of this page' }] });
}

/** /account with these cursors (and `extra` parameters) at `anchor`. */
export function accountHref(cursors: ListCursors, extra: Record<string, string> = {}, anchor = ''): string {
  const query = new URLSearchParams({ ...extra, ...cursors }).toString();
  return `/account${query ? `?${query}` : ''}${anchor}`;
}

/** `?sessions=…&apps=…` (or nothing): a form on a paged list posts it so its answer returns to the same pages. */
export function listQuery(cursors: ListCursors): string {
  const query = new URLSearchParams(cursors).toString();
  return query ? `?${query}` : '';
}

export interface Pager {
  total: number;
  shown: number;
  previousHref?: string;
  nextHref?: string;
}

/** Links to the neighbouring pages of `list`, the other list's cursor kept. */
export function pagerOf(list: ListName, page: ListPage<unknown>, cursors: ListCursors): Pager {
  const to = (cursor: string) => accountHref({ ...cursors, [list]: cursor }, {}, `#${list}`);
  return {
    total: page.total,
    shown: page.items.length,
    ...(page.previousKey ? { previousHref: to(encodeCursor(`before:${page.previousKey}`)) } : {}),
    ...(page.nextKey ? { nextHref: to(encodeCursor(`after:${page.nextKey}`)) } : {}),
  };
}
