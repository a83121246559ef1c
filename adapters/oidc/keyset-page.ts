/**
 * Keyset paging over an account's rows of oidc_payloads, newest first: ordered by a numeric
 * payload field (a sign-in or issue time) then the id, so the order is total and stable while
 * rows come and go. A key is `<sort value>:<id>`; a page reads `limit + 1` rows, the extra one only
 * saying that another page follows. A "previous" page that reaches the start is the first page,
 * so it is always full even after rows before it were removed.
 */
import type { Knex } from 'knex';
import { AppError } from '../../server/shared/errors.js';
import type { ListPage, ListRequest } from '../../server/modules/self-service/index.js';

export interface KeyedRow {
  id: string;
  payload: Record<string, unknown>;
  expires_at: Date | string | null;
  sort_value: string;
}

const KEY = /^(\d{1,20}(?:\.\d{1,20})?):([A-Za-z0-9_-]{1,200})$/;

function parseKey(key: string): [string, string] {
  const match = KEY.exec(key);
  if (!match) throw new AppError('invalid_input', 'page cursor is not valid', { fields: [{ field: 'cursor', message: 'is not a cursor of this page' }] });
  return [match[1]!, match[2]!];
}

const keyOf = (row: KeyedRow) => `${row.sort_value}:${row.id}`;

/**
 * @param rows the account's live rows of one model, filtered but neither selected nor ordered
 * @param sortField the payload field (epoch seconds) the list is ordered by
 */
export async function keysetPage<T>(knex: Knex, rows: () => Knex.QueryBuilder, sortField: string, request: ListRequest, map: (row: KeyedRow) => T): Promise<ListPage<T>> {
  const sort = knex.raw("coalesce((payload->>?)::numeric, 0)", [sortField]);
  const select = () => rows().select<KeyedRow[]>('id', 'payload', 'expires_at', knex.raw('?::text as sort_value', [sort]));
  const counted = await rows().count<Array<{ n: string | number }>>({ n: '*' });
  const total = Number(counted[0]?.n ?? 0);

  if (request.before !== undefined) {
    const [value, id] = parseKey(request.before);
    const earlier = await select().whereRaw('(?, id) > (?::numeric, ?)', [sort, value, id]).orderByRaw('? asc, id asc', [sort]).limit(request.limit + 1);
    if (earlier.length <= request.limit) return keysetPage(knex, rows, sortField, { limit: request.limit }, map);
    const items = earlier.slice(0, request.limit).reverse();
    return { items: items.map(map), total, previousKey: keyOf(items[0]!), nextKey: keyOf(items[items.length - 1]!) };
  }

  const after = request.after === undefined ? undefined : parseKey(request.after);
  const query = select().orderByRaw('? desc, id desc', [sort]).limit(request.limit + 1);
  const found = await (after ? query.whereRaw('(?, id) < (?::numeric, ?)', [sort, after[0], after[1]]) : query);
  const items = found.slice(0, request.limit);
  return {
    items: items.map(map),
    total,
    ...(found.length > request.limit ? { nextKey: keyOf(items[items.length - 1]!) } : {}),
    ...(request.after !== undefined ? { previousKey: items[0] ? keyOf(items[0]) : request.after } : {}),
  };
}
