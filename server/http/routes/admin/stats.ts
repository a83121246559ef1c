/**
 * /stats: what an operator's overview shows at a glance — browser sessions alive now, the outbox
 * (messages waiting or in flight, and dead letters kept), and the audit chain's status. Every
 * figure is one cheap query: the chain is not walked here (that is GET /audit/verification);
 * the last walk this process ran is reported with its count and when it finished. Needs admin:read.
 */
import { z } from 'zod';
import type { VerifyResult } from '../../../modules/compliance/index.js';
import { operation, type AdminResource } from './kit/operation.js';

export interface OverviewStats {
  activeSessions(): Promise<number>;
  outbox(): Promise<{ pending: number; dead: number }>;
  auditHeadSeq(): Promise<number>;
  /** True while the audit trail cannot append (the replica leaves rotation). */
  auditStalled(): boolean;
  lastVerification(): { result: VerifyResult; at: Date } | undefined;
}

const statsSchema = z.object({
  sessions: z.object({ active: z.number().int().min(0).describe('Browser sessions not yet expired, of every user') }),
  outbox: z.object({
    pending: z.number().int().min(0).describe('Messages waiting for delivery or in flight'),
    dead_lettered: z.number().int().min(0).describe('Messages that ran out of attempts (kept until purged)'),
  }),
  audit: z.object({
    head_seq: z.number().int().min(0).describe('Sequence of the newest record (0: empty trail)'),
    stalled: z.boolean().describe('The trail cannot append right now'),
    last_verification: z
      .object({
        ok: z.boolean(),
        count: z.number().int().min(0).describe('Records checked'),
        checked_at: z.iso.datetime().describe('When the walk finished'),
        head_seq: z.number().int().optional().describe('The last record checked (ok only)'),
        broken_at: z.number().int().optional().describe('Sequence of the first record that breaks the chain (not ok only)'),
        reason: z.string().optional(),
      })
      .nullable()
      .describe('The latest GET /audit/verification answered by this process since it started; null before the first'),
  }),
});

export function statsResource(stats: OverviewStats): AdminResource {
  return {
    tag: { name: 'stats', description: 'Operational figures for the overview' },
    schemas: { OverviewStats: statsSchema },
    operations: [
      operation({
        method: 'get',
        path: '/stats',
        operationId: 'getOverviewStats',
        summary: 'Active sessions, outbox depth and dead letters, audit chain status',
        scope: 'admin:read',
        responses: { 200: { description: 'The figures, read now', schema: 'OverviewStats' } },
        async handle() {
          const [active, outbox, headSeq] = await Promise.all([stats.activeSessions(), stats.outbox(), stats.auditHeadSeq()]);
          const last = stats.lastVerification();
          const verification = last
            ? last.result.ok
              ? { ok: true, count: last.result.count, checked_at: last.at.toISOString(), head_seq: last.result.head.seq }
              : { ok: false, count: last.result.count, checked_at: last.at.toISOString(), broken_at: last.result.seq, reason: last.result.reason }
            : null;
          return {
            status: 200,
            headers: { 'Cache-Control': 'no-store' },
            body: { sessions: { active }, outbox: { pending: outbox.pending, dead_lettered: outbox.dead }, audit: { head_seq: headSeq, stalled: stats.auditStalled(), last_verification: verification } },
          };
        },
      }),
    ],
  };
}
