/**
 * Audit search (newest first, keyset cursor) and export (oldest first, JSON lines produced in
 * batches, so an export of millions of records never sits in memory at once).
 */
import { AppError } from '../../../shared/errors.js';
import type { AuditRecord } from '../domain/audit-record.js';
import { auditRecordJson } from '../domain/record-json.js';
import { decodeCursor, encodeCursor, type AuditFilter } from '../domain/search.js';
import type { AuditStore } from '../ports.js';

export const MAX_PAGE = 200;
// Rows per export query: big enough to keep round trips few, small enough to stream smoothly.
const EXPORT_BATCH = 500;

export interface AuditPage {
  records: AuditRecord[];
  /** Pass back to get the next (older) page; absent on the last page. */
  nextCursor: string | undefined;
}

/** @throws AppError invalid_input for a cursor this API did not produce. */
export async function searchAudit(deps: { store: AuditStore }, filter: AuditFilter, page: { cursor?: string; limit: number }): Promise<AuditPage> {
  const limit = Math.min(Math.max(1, page.limit), MAX_PAGE);
  const beforeSeq = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
  if (page.cursor !== undefined && beforeSeq === undefined) {
    throw new AppError('invalid_input', 'the cursor is not valid', { fields: [{ field: 'cursor', message: 'not a cursor returned by this API' }] });
  }
  const rows = await deps.store.search(filter, beforeSeq, limit + 1);
  const records = rows.slice(0, limit);
  return { records, nextCursor: rows.length > limit ? encodeCursor(records.at(-1)!.seq) : undefined };
}

/** Every matching record as one JSON line, oldest first, read `batchSize` rows at a time. */
export async function* exportAuditLines(deps: { store: AuditStore }, filter: AuditFilter, batchSize = EXPORT_BATCH): AsyncGenerator<string> {
  let after = 0;
  for (;;) {
    const rows = await deps.store.exportFrom(filter, after, batchSize);
    if (!rows.length) return;
    yield rows.map((record) => `${JSON.stringify(auditRecordJson(record))}\n`).join('');
    if (rows.length < batchSize) return;
    after = rows.at(-1)!.seq;
  }
}

/** Reading the trail, as the admin API needs it. */
export interface AuditQueries {
  search(filter: AuditFilter, page: { cursor?: string; limit: number }): Promise<AuditPage>;
  exportLines(filter: AuditFilter): AsyncIterable<string>;
}
