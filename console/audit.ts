/**
 * Audit log: filters by type, actor, subject and time; each record's detail; the NDJSON export
 * of what the filters match (streamed through from the API); "verify chain" with its result.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { apiClient, problemOf } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { renderConsole } from './page.js';
import { refused, unwrap } from './respond.js';

const base = '/console/audit';
const FILTERS = ['type', 'actor', 'subject', 'from', 'to'] as const;

/** The filters as typed (datetime-local has no zone: read as UTC, said so on the page). */
function filtersOf(ctx: Context) {
  const raw: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = ctx.query[name];
    if (typeof value === 'string' && value.trim() && value.length <= 200) raw[name] = value.trim();
  }
  const instant = (v: string | undefined) => (v ? (/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v.length === 16 ? `${v}:00` : v}Z`) : undefined);
  const query = {
    ...(raw.type ? { type: raw.type } : {}),
    ...(raw.actor ? { actor: raw.actor } : {}),
    ...(raw.subject ? { subject: raw.subject } : {}),
    ...(raw.from ? { from: instant(raw.from) } : {}),
    ...(raw.to ? { to: instant(raw.to) } : {}),
  };
  return { raw, query };
}

export function registerAudit(router: Router, deps: ConsoleDeps): void {
  router.get(base, async (ctx) => {
    const { raw, query } = filtersOf(ctx);
    const cursor = typeof ctx.query.cursor === 'string' && ctx.query.cursor.length < 512 ? ctx.query.cursor : undefined;
    const result = await apiClient(ctx, deps).GET('/audit/records', { params: { query: { ...query, limit: 50, ...(cursor ? { cursor } : {}) } as never } });
    if (!result.response.ok) {
      const problem = problemOf(result.response, result.error);
      // A filter the API refused is shown by its field, with the filters kept.
      if (problem.status !== 400) return refused(ctx, deps, problem, base);
      ctx.status = 400;
      return renderConsole(ctx, deps, 'audit', { titleId: 'console.nav.audit', screen: 'audit', filters: raw, records: [], problem, exportHref: undefined, nextHref: undefined });
    }
    const page = result.data!;
    const search = new URLSearchParams(raw);
    renderConsole(ctx, deps, 'audit', {
      titleId: 'console.nav.audit',
      screen: 'audit',
      filters: raw,
      records: page.items,
      exportHref: `${base}/export${search.size ? `?${search}` : ''}`,
      nextHref: page.next_cursor ? `${base}?${new URLSearchParams({ ...raw, cursor: page.next_cursor })}` : undefined,
    });
  });

  router.get(`${base}/export`, async (ctx) => {
    const { query } = filtersOf(ctx);
    const result = await apiClient(ctx, deps).GET('/audit/export', { params: { query: query as never }, parseAs: 'stream' });
    if (!result.response.ok || !result.response.body) return refused(ctx, deps, problemOf(result.response, result.error), base);
    ctx.set('Content-Disposition', 'attachment; filename="audit.ndjson"');
    ctx.type = 'application/x-ndjson; charset=utf-8';
    ctx.body = Readable.fromWeb(result.response.body as WebReadableStream<Uint8Array>);
  });

  router.get(`${base}/verify`, async (ctx) => {
    const result = unwrap(ctx, deps, await apiClient(ctx, deps).GET('/audit/verification'), base);
    if (!result) return;
    renderConsole(ctx, deps, 'audit-verify', { titleId: 'console.verifyTitle', screen: 'audit', result });
  });
}
