/**
 * Overview: sign-ins, failed sign-ins and tokens issued over the last 24 hours as hourly bar
 * charts, counted from the audit trail through the admin API's search (at most MAX_PAGES pages
 * per series: a busier day shows "at least"), and what the provider holds (users, clients,
 * APIs, webhooks), and the operational figures of GET /stats: active sessions, outbox depth and
 * dead letters, and the audit chain status (the last verification with its count and time). Bars are CSS heights in tenths (no inline style under the strict CSP), with
 * the same numbers in a table for screen readers.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { apiClient, type AdminClient } from './api.js';
import type { ConsoleDeps } from './deps.js';
import { renderConsole } from './page.js';

const HOURS = 24;
// 5 × 100 records per series bounds the page's work on a busy day; the chart says when it is capped.
const MAX_PAGES = 5;
const SERIES = [
  { id: 'signIns', type: 'auth.login.success' },
  { id: 'failures', type: 'auth.login.failure' },
  { id: 'tokens', type: 'oidc.grant.success' },
] as const;

async function hourly(api: AdminClient, type: string, since: Date): Promise<{ buckets: number[]; capped: boolean; failed: boolean }> {
  const buckets = new Array<number>(HOURS).fill(0);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const result = await api.GET('/audit/records', { params: { query: { type, from: since.toISOString(), limit: 100, ...(cursor ? { cursor } : {}) } as never } });
    if (!result.data) return { buckets, capped: false, failed: true };
    for (const record of result.data.items) {
      const hour = Math.floor((Date.parse(record.occurred_at) - since.getTime()) / 3_600_000);
      if (hour >= 0 && hour < HOURS) buckets[hour]! += 1;
    }
    cursor = result.data.next_cursor;
    if (!cursor) return { buckets, capped: false, failed: false };
  }
  return { buckets, capped: true, failed: false };
}

async function count(promise: Promise<{ data?: { items: unknown[]; next_cursor?: string } }>): Promise<string> {
  const { data } = await promise;
  if (!data) return '—';
  return data.next_cursor ? `${data.items.length}+` : String(data.items.length);
}

export function registerOverview(router: Router, deps: ConsoleDeps): void {
  router.get('/console', async (ctx: Context) => {
    const api = apiClient(ctx, deps);
    // Whole hours, so the buckets line up with the clock.
    const since = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - (HOURS - 1) * 3_600_000);
    const [series, users, clients, apis, webhooks, stats] = await Promise.all([
      Promise.all(SERIES.map(async (s) => ({ ...s, ...(await hourly(api, s.type, since)) }))),
      count(api.GET('/users', { params: { query: { limit: 100 } } })),
      count(api.GET('/clients', { params: { query: { limit: 100 } } })),
      count(api.GET('/resource-servers', { params: { query: { limit: 100 } } })),
      count(api.GET('/webhooks', { params: { query: { limit: 100 } } })),
      api.GET('/stats').then((r) => r.data),
    ]);
    const charts = series.map((s) => {
      const max = Math.max(1, ...s.buckets);
      return {
        id: s.id,
        total: s.buckets.reduce((a, b) => a + b, 0),
        capped: s.capped,
        failed: s.failed,
        bars: s.buckets.map((n, i) => ({ n, tenth: n === 0 ? 0 : Math.max(1, Math.round((n / max) * 10)), hour: new Date(since.getTime() + i * 3_600_000).toISOString().slice(11, 16) })),
      };
    });
    renderConsole(ctx, deps, 'overview', { titleId: 'console.nav.overview', screen: 'overview', charts, counts: { users, clients, apis, webhooks }, stats });
  });
}
