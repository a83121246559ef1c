/**
 * /stats: the overview's figures follow what the provider holds — a sign-in adds an active
 * session, outbox rows waiting and dead-lettered are counted, and the audit chain status carries
 * the newest verification recorded in the trail with its count, time and who ran it.
 */
import { describe, expect, it } from 'vitest';
import { signIn, webClient } from '../protocol/support.js';
import type { AdminTestContext } from './context.js';

type Stats = {
  sessions: { active: number };
  outbox: { pending: number; dead_lettered: number };
  audit: { head_seq: number; stalled: boolean; last_verification: null | { ok: boolean; count: number; checked_at: string; head_seq?: number; ran_by: { type: string; id?: string }; via: string } };
};

export function statsSuite(ctx: () => AdminTestContext) {
  describe('stats', () => {
    const read = async () => {
      const result = await ctx().api.call<Stats>('GET', '/stats', { token: ctx().tokens.reader });
      expect(result.status).toBe(200);
      return result.body;
    };

    it('counts active sessions: a sign-in adds one', async () => {
      const { op } = ctx();
      const before = await read();
      await signIn(op, await webClient(op), { scope: 'openid' });
      const after = await read();
      expect(after.sessions.active).toBe(before.sessions.active + 1);
    });

    it('counts outbox messages waiting and dead-lettered', async () => {
      const { knex } = ctx().op.running.container.database;
      const before = await read();
      // Not due for a day, so the worker leaves the pending row alone while the test reads it.
      const rows = [
        { id: 'stats-pending-1', status: 'pending' },
        { id: 'stats-pending-2', status: 'pending' },
        { id: 'stats-dead-1', status: 'dead' },
      ].map((r) => ({ ...r, kind: 'email', topic: 'stats-test', payload_sealed: 'x', max_attempts: 1, next_attempt_at: new Date(Date.now() + 86_400_000) }));
      await knex('outbox_messages').insert(rows);
      try {
        const after = await read();
        expect(after.outbox.pending).toBe(before.outbox.pending + 2);
        expect(after.outbox.dead_lettered).toBe(before.outbox.dead_lettered + 1);
      } finally {
        await knex('outbox_messages').whereIn('id', rows.map((r) => r.id)).delete();
      }
    });

    it('reports the audit head and the last verification with its count and time', async () => {
      const { api, tokens, op } = ctx();
      await op.running.container.compliance.trail.flush();
      const verification = await api.call<{ ok: boolean; count: number; head_seq: number }>('GET', '/audit/verification', { token: tokens.reader });
      expect(verification.status).toBe(200);
      const stats = await read();
      expect(stats.audit.stalled).toBe(false);
      expect(stats.audit.head_seq).toBeGreaterThanOrEqual(verification.body.head_seq);
      expect(stats.audit.last_verification).toMatchObject({ ok: true, count: verification.body.count, head_seq: verification.body.head_seq, ran_by: { type: 'client', id: 'admin-reader' }, via: 'admin_api' });
      expect(Number.isNaN(Date.parse(stats.audit.last_verification!.checked_at))).toBe(false);
    });

    it('needs admin:read', async () => {
      const { api, tokens } = ctx();
      expect((await api.call('GET', '/stats')).status).toBe(401);
      expect((await api.call('GET', '/stats', { token: tokens.writeOnly })).status).toBe(403);
    });
  });
}
