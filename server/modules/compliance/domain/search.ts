/**
 * Audit search filters and their opaque cursor. A cursor is the last sequence a page returned,
 * so pages stay stable while new records are appended (newest first, keyset pagination).
 */
import type { AuditEventType } from './audit-event.js';

export interface AuditFilter {
  from?: Date;
  to?: Date;
  actorId?: string;
  subjectId?: string;
  subjectType?: string;
  types?: AuditEventType[];
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`s:${seq}`, 'utf8').toString('base64url');
}

/** @returns the sequence, or undefined when the cursor was not made by encodeCursor. */
export function decodeCursor(cursor: string): number | undefined {
  const match = /^s:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
