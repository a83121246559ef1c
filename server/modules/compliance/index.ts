/** The compliance module's public face: the audit event catalogue, the sink port, and the hash-chained trail. */
export { AUDIT_EVENT_TYPES } from './domain/audit-event.js';
export type { AuditActor, AuditDetails, AuditEvent, AuditEventType, AuditOutcome, AuditSubject, RequestFacts } from './domain/audit-event.js';
export type { AuditTrail, AuditStore, CheckpointSigner, AuditQueueObserver, AuditLog } from './ports.js';
export { canonicalRecord, eventOfRecord, GENESIS_HASH, type AuditRecord, type ChainHead, type PendingRecord } from './domain/audit-record.js';
export { checkpointPayload, type Checkpoint } from './domain/checkpoint.js';
export type { AuditFilter } from './domain/search.js';
export { auditRecordJson, type AuditRecordJson } from './domain/record-json.js';
export { sanitizeEvent } from './domain/sanitize.js';
export { appendNow, hashRecord, keyRotationEvents, linkRecords } from './use-cases/chain.js';
export { createBufferedAuditTrail, type BufferedAuditTrail, type AuditQueueOptions } from './use-cases/buffered-trail.js';
export { verifyAuditChain, verificationMessage, type VerifyResult } from './use-cases/verify-chain.js';
export { lastVerification, verificationEvent, verificationOfRecord, verifyAndRecord, type LastVerification, type VerificationChannel } from './use-cases/verification-record.js';
export { applyAuditRetention, type RetentionOptions, type RetentionResult } from './use-cases/retention.js';
export { searchAudit, exportAuditLines, MAX_PAGE as AUDIT_MAX_PAGE, type AuditPage, type AuditQueries } from './use-cases/search.js';
export { changeEvent, type Acting } from './domain/acting.js';
