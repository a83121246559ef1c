/**
 * /audit: search newest first with filters and cursors, export as JSON lines that re-link into
 * the hash chain, input errors as 400 naming the field, a token needed for both; the export is
 * itself audited, and no token or secret appears in what the trail holds.
 */
import { describe, expect, it } from 'vitest';
import { SECRET, type AdminTestContext } from './context.js';

type AuditRecord = {
  seq: number;
  occurred_at: string;
  type: string;
  actor: { type: string; id?: string };
  client_id: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};
type Page<T> = { items: T[]; next_cursor?: string };

export function auditSuite(ctx: () => AdminTestContext) {
  describe('audit', () => {
    const flush = () => ctx().op.running.container.compliance.trail.flush();

    it('searches newest first by type and actor, page by page with a cursor', async () => {
      const { api, tokens } = ctx();
      await flush();
      const all = await api.call<Page<AuditRecord>>('GET', '/audit/records?type=oidc.grant.success&limit=100', { token: tokens.reader });
      expect(all.status).toBe(200);
      expect(all.body.next_cursor).toBeUndefined();
      const grants = all.body.items;
      expect(grants.length).toBeGreaterThanOrEqual(3);
      expect(grants.map((r) => r.seq)).toEqual([...grants.map((r) => r.seq)].sort((a, b) => b - a));
      const reader = grants.filter((r) => r.client_id === 'admin-reader');
      expect(reader.length).toBeGreaterThanOrEqual(1);
      expect(reader[0]).toMatchObject({ actor: { type: 'client', id: 'admin-reader' }, details: { grantType: 'client_credentials' } });
      expect(reader[0]!.request_id).toBeTruthy();

      const byActor = await api.call<Page<AuditRecord>>('GET', '/audit/records?actor=admin-reader&type=oidc.grant.success', { token: tokens.reader });
      expect(byActor.body.items.map((r) => r.seq)).toEqual(reader.map((r) => r.seq));

      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page: { body: Page<AuditRecord> } = await api.call<Page<AuditRecord>>('GET', `/audit/records?type=oidc.grant.success&limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: tokens.reader });
        expect(page.body.items).toHaveLength(1);
        seen.push(page.body.items[0]!.seq);
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(grants.map((r) => r.seq));

      const future = await api.call<Page<AuditRecord>>('GET', `/audit/records?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`, { token: tokens.reader });
      expect(future.body).toEqual({ items: [] });
      const window = await api.call<Page<AuditRecord>>('GET', `/audit/records?to=${encodeURIComponent(grants.at(-1)!.occurred_at)}&type=oidc.grant.success`, { token: tokens.reader });
      for (const record of window.body.items) expect(record.occurred_at < grants.at(-1)!.occurred_at).toBe(true);
    });

    it('refuses bad filters and cursors with 400 naming the field, and callers without a token', async () => {
      const { api, tokens } = ctx();
      const badType = await api.call<{ errors: Array<{ field: string }> }>('GET', '/audit/records?type=oidc.grant.success,not.a.type', { token: tokens.reader });
      expect(badType.status).toBe(400);
      expect(badType.body.errors.map((e) => e.field)).toEqual(['query.type']);
      const badDate = await api.call<{ errors: Array<{ field: string }> }>('GET', '/audit/records?from=yesterday', { token: tokens.reader });
      expect(badDate.status).toBe(400);
      expect(badDate.body.errors.map((e) => e.field)).toEqual(['query.from']);
      const badCursor = await api.call<{ errors: Array<{ field: string }> }>('GET', '/audit/records?cursor=bm90LWEtY3Vyc29y', { token: tokens.reader });
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.errors.map((e) => e.field)).toEqual(['cursor']);
      const badLimit = await api.call('GET', '/audit/records?limit=1000', { token: tokens.reader });
      expect(badLimit.status).toBe(400);
      expect((await api.call('GET', '/audit/records')).status).toBe(401);
      expect((await api.call('GET', '/audit/records', { token: tokens.orders })).status).toBe(401);
      const exportBadType = await api.call('GET', '/audit/export?type=nope', { token: tokens.reader });
      expect(exportBadType.status).toBe(400);
      // Text Postgres cannot take (a NUL, control characters) is a 400 naming the filter, not a failed query (found by the fuzz suite).
      for (const [query, field] of [['subject=%00', 'query.subject'], ['actor=a%00b', 'query.actor'], ['subject=x%0Ay', 'query.subject']]) {
        for (const path of ['/audit/records', '/audit/export']) {
          const refused = await api.call<{ errors: Array<{ field: string }> }>('GET', `${path}?${query}`, { token: tokens.reader });
          expect(refused.status, `${path}?${query}`).toBe(400);
          expect(refused.body.errors.map((e) => e.field)).toEqual([field]);
        }
      }
      expect((await api.call('GET', '/audit/export')).status).toBe(401);
    });

    it('verifies the whole chain on request; a token is needed', async () => {
      const { api, tokens } = ctx();
      await flush();
      const result = await api.call<{ ok: boolean; count: number; head_seq: number }>('GET', '/audit/verification', { token: tokens.reader });
      expect(result.status).toBe(200);
      expect(result.body.ok).toBe(true);
      expect(result.body.count).toBeGreaterThan(0);
      expect(result.body.head_seq).toBeGreaterThanOrEqual(result.body.count);
      expect((await api.call('GET', '/audit/verification')).status).toBe(401);
      expect((await api.call('GET', '/audit/verification', { token: tokens.writeOnly })).status).toBe(403);
    });

    it('exports the whole chain as JSON lines that re-link, and records the export', async () => {
      const { api, tokens, op } = ctx();
      await flush();
      const response = await fetch(`${api.base}/audit/export`, { headers: { authorization: `Bearer ${tokens.reader}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      const text = await response.text();
      const lines = text.trim().split('\n').map((line) => JSON.parse(line) as AuditRecord);
      // Each line is an AuditRecord as the OpenAPI document declares it.
      for (const line of lines) api.check('GET', '/audit/export', 200, response.headers, line);
      expect(lines.length).toBeGreaterThan(5);
      expect(lines[0]).toMatchObject({ seq: 1, prev_hash: '0'.repeat(64) });
      for (let i = 1; i < lines.length; i += 1) {
        expect(lines[i]!.seq).toBe(lines[i - 1]!.seq + 1);
        expect(lines[i]!.prev_hash).toBe(lines[i - 1]!.hash);
      }
      for (const secret of [SECRET, tokens.reader, tokens.writer, tokens.orders]) expect(text).not.toContain(secret);

      const filtered = await fetch(`${api.base}/audit/export?type=oidc.grant.success&actor=admin-writer`, { headers: { authorization: `Bearer ${tokens.reader}` } });
      const writerLines = (await filtered.text()).trim().split('\n').map((line) => JSON.parse(line) as AuditRecord);
      expect(writerLines.length).toBeGreaterThanOrEqual(1);
      for (const line of writerLines) expect(line).toMatchObject({ type: 'oidc.grant.success', actor: { id: 'admin-writer' } });

      await flush();
      const exports = await api.call<Page<AuditRecord>>('GET', '/audit/records?type=admin.audit.exported', { token: tokens.reader });
      expect(exports.body.items).toHaveLength(2);
      expect(exports.body.items[0]).toMatchObject({ actor: { type: 'client', id: 'admin-reader' }, details: { type: 'oidc.grant.success', actor: 'admin-writer' } });
      expect(await op.running.container.compliance.verify()).toMatchObject({ ok: true });
    });
  });
}
