/**
 * /stats: what an operator's overview shows at a glance — browser sessions alive now, the outbox
 * (messages waiting or in flight, and dead letters kept), and the audit chain's status. Every
 * figure is one cheap query: the chain is not walked here (that is GET /audit/verification);
 * the newest walk recorded in the trail (by any replica, the admin API or the CLI) is reported
 * with its count, when it finished and who ran it. Needs admin:read.
 */
import { z } from 'zod';
import type { LastVerification } from '../../../modules/compliance/index.js';
import { operation, type AdminResource } from './kit/operation.js';

export interface OverviewStats {
  activeSessions(): Promise<number>;
  outbox(): Promise<{ pending: number; dead: number }>;
  auditHeadSeq(): Promise<number>;
  /** True while the audit trail cannot append (the replica leaves rotation). */
  auditStalled(): boolean;
  lastVerification(): Promise<LastVerification | undefined>;
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
        ran_by: z
          .object({ type: z.enum(['user', 'client', 'system', 'anonymous']), id: z.string().optional() })
          .describe('Who asked for it: the administrator (user) or client of the admin API call, or system for the CLI'),
        client_id: z.string().optional().describe('The client the user acted through (admin-console for the console)'),
        via: z.enum(['admin_api', 'cli']).describe('GET /audit/verification (the console uses it too) or `oidc-server audit verify`'),
      })
      .nullable()
      .describe('The newest verification recorded in the trail (an audit.chain.verified record) by any process; null when the trail keeps none'),
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
          const [active, outbox, headSeq, last] = await Promise.all([stats.activeSessions(), stats.outbox(), stats.auditHeadSeq(), stats.lastVerification()]);
          const verification = last ? verificationJson(last) : null;
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

function verificationJson(last: LastVerification) {
  return {
    ok: last.ok,
    count: last.count,
    checked_at: last.checkedAt.toISOString(),
    ...(last.headSeq !== undefined ? { head_seq: last.headSeq } : {}),
    ...(last.brokenAt !== undefined ? { broken_at: last.brokenAt } : {}),
    ...(last.reason !== undefined ? { reason: last.reason } : {}),
    ran_by: { type: last.by.type, ...(last.by.id !== undefined ? { id: last.by.id } : {}) },
    ...(last.clientId !== undefined ? { client_id: last.clientId } : {}),
    via: last.via,
  };
}
