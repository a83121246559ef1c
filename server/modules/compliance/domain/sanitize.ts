/**
 * What an audit record may hold. Detail fields whose name looks like a credential (token,
 * secret, password, code, assertion, cookie...) are dropped whatever their value, as are values
 * that look like a JWT; every string is made well-formed (NUL removed, lone surrogates replaced:
 * Postgres `jsonb` refuses both) and then cut to a bound, never inside a surrogate pair, so one
 * event cannot bloat the table or stall the chain. Dropped fields are counted in
 * `details.redacted`, so a reader knows something was there.
 */
import type { AuditDetails, AuditEvent } from './audit-event.js';
import type { PendingRecord } from './audit-record.js';
import { truncate, wellFormed } from '../../../shared/unicode.js';

/** Names that carry credentials in OAuth, OIDC and our own forms; matched anywhere in the key. */
const SECRET_KEY = /token|secret|passw|pwd|code|credential|assertion|authorization|cookie|otp|verifier|private|signature|api_?key|^key$|hash|nonce/i;
/** A compact JWS/JWE: two or more base64url segments after a base64url JSON header. */
const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\./;

// Bounds chosen so a record stays well under a kilobyte or two; ids in this system are < 100 chars.
const MAX_ID = 200;
const MAX_TEXT = 500;
const MAX_DETAIL_KEYS = 24;
const MAX_KEY = 64;

function clean(value: string | undefined, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  return truncate(wellFormed(String(value)), max);
}

function sanitizeDetails(details: AuditDetails | undefined): AuditDetails | undefined {
  if (!details) return undefined;
  const out: AuditDetails = {};
  let redacted = 0;
  let kept = 0;
  for (const [rawKey, value] of Object.entries(details)) {
    const key = clean(rawKey, MAX_KEY)!;
    if (SECRET_KEY.test(key) || (typeof value === 'string' && JWT_LIKE.test(value)) || kept >= MAX_DETAIL_KEYS) {
      redacted += 1;
      continue;
    }
    if (typeof value === 'string') out[key] = clean(value, MAX_TEXT)!;
    else if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : null;
    else if (typeof value === 'boolean' || value === null) out[key] = value;
    else {
      // Not a scalar (a caller bypassed the type): nested values could hide anything.
      redacted += 1;
      continue;
    }
    kept += 1;
  }
  if (redacted) out.redacted = redacted;
  return Object.keys(out).length ? out : undefined;
}

/** The storable form of an event, stamped with the time it happened. */
export function sanitizeEvent(event: AuditEvent, occurredAt: Date): PendingRecord {
  const record: PendingRecord = {
    type: event.type,
    outcome: event.outcome,
    actor: { type: event.actor.type, ...(event.actor.id !== undefined ? { id: clean(event.actor.id, MAX_ID)! } : {}) },
    occurredAt,
  };
  if (event.subject) record.subject = { type: event.subject.type, id: clean(event.subject.id, MAX_ID)! };
  const clientId = clean(event.clientId, MAX_ID);
  if (clientId !== undefined) record.clientId = clientId;
  const ip = clean(event.ip, 64);
  if (ip !== undefined) record.ip = ip;
  const userAgent = clean(event.userAgent, MAX_TEXT);
  if (userAgent !== undefined) record.userAgent = userAgent;
  const requestId = clean(event.requestId, MAX_ID);
  if (requestId !== undefined) record.requestId = requestId;
  const details = sanitizeDetails(event.details);
  if (details) record.details = details;
  return record;
}
