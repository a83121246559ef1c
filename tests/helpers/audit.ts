/** Reading a running test provider's audit trail (hash-chained, buffered in memory before it is written). */
import type { AuditEventType } from '../../server/modules/compliance/index.js';
import type { TestProvider } from './provider.js';

/** Records of `type`, oldest first (at most 100), after flushing what the trail still buffers. */
export async function auditRecords(op: TestProvider, type: AuditEventType) {
  const { compliance } = op.running.container;
  await compliance.trail.flush();
  const page = await compliance.search({ types: [type] }, { limit: 100 });
  return page.records.reverse();
}
