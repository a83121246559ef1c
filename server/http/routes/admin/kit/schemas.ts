/** Schemas every admin resource shares: problem details, pages, path ids, list limits. */
import { z } from 'zod';
import { encodeCursor, type Page } from '../../../../shared/pagination.js';
import { isWellFormed } from '../../../../shared/unicode.js';

/** RFC 9457 problem details as server/http/middleware/problem-details.ts writes them. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string(),
  requestId: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** A page of items and the cursor of the next page (absent on the last page). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().optional() });
}

// 100 bounds the work and the response size of one request; 20 suits a screen of results.
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;

/** `limit` and `cursor` of every list operation. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`Items per page (1-${MAX_LIMIT})`),
  cursor: z.string().min(1).max(512).optional().describe('The next_cursor of the previous page'),
};

/**
 * Query text the database can take: no control characters (NUL among them, which Postgres
 * refuses in text), no lone surrogates; a 400 naming the parameter instead of a failed query.
 */
export const queryText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((v) => isWellFormed(v) && !/[\u0000-\u001f\u007f]/.test(v), 'must not contain control characters or unpaired surrogates');

/** A boolean query flag: `true` or `false`. */
export const queryFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A page as JSON: items mapped, the next key made an opaque cursor. */
export function pageJson<T, J>(page: Page<T>, map: (item: T) => J): { items: J[]; next_cursor?: string } {
  return { items: page.items.map(map), ...(page.nextKey !== undefined ? { next_cursor: encodeCursor(page.nextKey) } : {}) };
}
