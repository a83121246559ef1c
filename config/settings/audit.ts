/** The audit trail: retention and the in-memory queue in front of the durable append. */
import { z } from 'zod';
import { positiveInt, seconds } from './kinds.js';
import { setting } from './setting.js';

export const audit = z.object({
  AUDIT_RETENTION_DAYS: setting(
    positiveInt,
    '365',
    'Audit records older than this many days are dropped, behind a signed checkpoint that `audit verify` starts from.',
  ),
  AUDIT_RETENTION_INTERVAL: setting(seconds, '3600', 'How often (s) audit retention runs (bounded batches, one replica at a time).'),
  AUDIT_FLUSH_INTERVAL_MS: setting(
    positiveInt,
    '1000',
    'Audit events are queued in memory and appended at least this often (ms); a hard crash loses at most this much.',
  ),
  // 2000 rows × 15 columns stays under Postgres' 65535 bind parameters per statement.
  AUDIT_BATCH_SIZE: setting(positiveInt.max(2000), '200', 'Audit events per append transaction (at most 2000); a full batch is flushed at once.'),
  AUDIT_QUEUE_MAX: setting(
    positiveInt,
    '10000',
    'Audit events held in memory at most (while the database is slow or down); beyond, events are dropped, logged and counted.',
  ),
});
