/**
 * /audit: the hash-chained audit trail, read-only. Search answers pages of records, newest
 * first, with a cursor; export streams every matching record, oldest first, as JSON lines
 * (application/x-ndjson) read from the database in batches, so exports of any size keep memory
 * flat. Both need admin:read; an export is itself recorded (admin.audit.exported), as bulk
 * reading of the trail is an action an auditor wants to see.
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AUDIT_EVENT_TYPES, auditRecordJson, type Acting, type AuditFilter, type AuditQueries, type AuditSubject, type AuditTrail, type VerifyResult } from '../../../modules/compliance/index.js';
import { operation, type AdminResource } from './kit/operation.js';
import { pageQuery, pageSchema, queryText } from './kit/schemas.js';

const SUBJECT_TYPES = ['user', 'client', 'role', 'resource_server', 'signing_key', 'grant', 'session', 'webhook', 'message', 'audit'] as const satisfies ReadonlyArray<AuditSubject['type']>;
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const auditRecordSchema = z.object({
  seq: z.number().int().positive(),
  occurred_at: z.iso.datetime(),
  type: z.enum(AUDIT_EVENT_TYPES),
  outcome: z.enum(['success', 'failure', 'denied']),
  actor: z.object({ type: z.enum(['user', 'client', 'system', 'anonymous']), id: z.string().optional() }),
  subject: z.object({ type: z.enum(SUBJECT_TYPES), id: z.string() }).nullable(),
  client_id: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  request_id: z.string().nullable(),
  details: z.record(z.string(), scalar),
  prev_hash: z.string().regex(/^[0-9a-f]{64}$/),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});

const filterQuery = {
  from: z.iso.datetime({ offset: true }).optional().describe('Records that happened at or after this instant (RFC 3339)'),
  to: z.iso.datetime({ offset: true }).optional().describe('Records that happened before this instant (RFC 3339)'),
  actor: queryText(200).optional().describe('Id of the user or client that acted'),
  subject: queryText(200).optional().describe('Id of the subject acted upon'),
  subject_type: z.enum(SUBJECT_TYPES).optional().describe('Kind of the subject'),
  type: z
    .string()
    .max(2000)
    .optional()
    .describe('Comma-separated event types of the catalogue'),
};

type FilterInput = { from?: string | undefined; to?: string | undefined; actor?: string | undefined; subject?: string | undefined; subject_type?: AuditSubject['type'] | undefined; type?: string | undefined };

const typeList = z.array(z.enum(AUDIT_EVENT_TYPES, { error: 'is not an audit event type' })).max(20);

function toFilter(query: FilterInput): AuditFilter {
  const types = query.type ? typeList.parse(query.type.split(',').map((t) => t.trim())) : undefined;
  return {
    ...(query.from ? { from: new Date(query.from) } : {}),
    ...(query.to ? { to: new Date(query.to) } : {}),
    ...(query.actor ? { actorId: query.actor } : {}),
    ...(query.subject ? { subjectId: query.subject } : {}),
    ...(query.subject_type ? { subjectType: query.subject_type } : {}),
    ...(types?.length ? { types } : {}),
  };
}

/** Validated here (not in the query schema) so a wrong type is a 400 naming `query.type`. */
const filterSchema = z.object(filterQuery).superRefine((query, issues) => {
  if (!query.type) return;
  const result = typeList.safeParse(query.type.split(',').map((t) => t.trim()));
  if (!result.success) issues.addIssue({ code: 'custom', path: ['type'], message: `must be up to 20 comma-separated types of the audit catalogue` });
});

/** Walking the whole hash chain (compliance/use-cases/verify-chain.ts), as `audit verify` does. */
export interface AuditVerification {
  /** Also records the outcome in the trail (audit.chain.verified), as asked by `by` through the admin API. */
  verifyRecorded(by: Acting, via: 'admin_api'): Promise<VerifyResult>;
}

const verificationSchema = z.object({
  ok: z.boolean(),
  count: z.number().int().min(0).describe('Records checked'),
  head_seq: z.number().int().optional().describe('The last record checked (ok only)'),
  broken_at: z.number().int().optional().describe('Sequence of the first record that breaks the chain (not ok only)'),
  reason: z.string().optional().describe('Why that record breaks it'),
});

export function auditResource(deps: { queries: AuditQueries & AuditVerification; trail: AuditTrail }): AdminResource {
  return {
    tag: { name: 'audit', description: 'The tamper-evident audit trail (read-only)' },
    schemas: { AuditRecord: auditRecordSchema, AuditRecordPage: pageSchema(auditRecordSchema), AuditVerification: verificationSchema },
    operations: [
      operation({
        method: 'get',
        path: '/audit/records',
        operationId: 'searchAuditRecords',
        summary: 'Search audit records, newest first',
        scope: 'admin:read',
        query: filterSchema.extend(pageQuery),
        responses: { 200: { description: 'A page of audit records', schema: 'AuditRecordPage' } },
        async handle({ query }) {
          const page = await deps.queries.search(toFilter(query), { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
          return { status: 200, body: { items: page.records.map(auditRecordJson), ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}) } };
        },
      }),
      operation({
        method: 'get',
        path: '/audit/export',
        operationId: 'exportAuditRecords',
        summary: 'Export matching audit records, oldest first, as JSON lines',
        description: 'One AuditRecord per line. Records carry seq, prev_hash and hash, so an export of the whole trail can be re-verified offline.',
        scope: 'admin:read',
        query: filterSchema,
        responses: { 200: { description: 'A stream of audit records, one JSON object per line', schema: 'AuditRecord', contentType: 'application/x-ndjson' } },
        async handle({ query, by }) {
          const filter = toFilter(query);
          await deps.trail.record({
            type: 'admin.audit.exported',
            outcome: 'success',
            ...by,
            subject: { type: 'audit', id: 'trail' },
            details: Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])),
          });
          return {
            status: 200,
            headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Disposition': 'attachment; filename="audit.ndjson"' },
            body: Readable.from(deps.queries.exportLines(filter)),
          };
        },
      }),
      operation({
        method: 'get',
        path: '/audit/verification',
        operationId: 'verifyAuditChain',
        summary: 'Verify the hash chain of the whole trail now',
        description: 'Walks every record after the latest retention checkpoint (whose signature is checked) up to the head read at the start, and names the first record that breaks the chain. Costs one pass over the trail. The outcome is appended to the trail as an `audit.chain.verified` record (who asked, the figures) before the answer is sent; GET /stats reports the newest one, on every replica.',
        scope: 'admin:read',
        responses: { 200: { description: 'The verification result', schema: 'AuditVerification' } },
        async handle({ by }) {
          const result = await deps.queries.verifyRecorded(by, 'admin_api');
          return {
            status: 200,
            body: result.ok ? { ok: true, count: result.count, head_seq: result.head.seq } : { ok: false, count: result.count, broken_at: result.seq, reason: result.reason },
          };
        },
      }),
    ],
  };
}
