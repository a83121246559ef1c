/**
 * Counts the SQL statements a provider sends while some work runs, from knex's `query` event
 * (every statement knex sends, raw ones included), each with the request that caused it
 * (server/shared/request-scope.ts). Background work (the audit trail's timed flush, the outbox
 * worker) runs outside any request and is told apart by its missing request id.
 */
import type { Knex } from 'knex';
import { currentRequestId } from '../../server/shared/request-scope.js';

export interface Statement {
  sql: string;
  requestId: string | undefined;
}

export interface StatementRecorder {
  readonly statements: Statement[];
  /** Statements sent on behalf of a request (not by background work). */
  ofRequests(): Statement[];
  stop(): void;
}

export function recordStatements(knex: Knex): StatementRecorder {
  const statements: Statement[] = [];
  const listener = (query: { sql?: string }) => {
    statements.push({ sql: String(query.sql ?? ''), requestId: currentRequestId() });
  };
  knex.on('query', listener);
  return {
    statements,
    ofRequests: () => statements.filter((s) => s.requestId !== undefined),
    stop: () => void knex.removeListener('query', listener),
  };
}

/** Statements grouped by text with their counts, most frequent first: for a failure message. */
export function statementSummary(statements: Statement[]): string {
  const counts = new Map<string, number>();
  for (const { sql } of statements) {
    const line = sql.replace(/\s+/g, " ").trim();
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([sql, n]) => `${n} × ${sql}`).join('\n');
}
