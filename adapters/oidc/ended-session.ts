/**
 * A stored Session payload (oidc-provider's shape) as the session that ended: its account and,
 * per client that signed in through it, the `sid` oidc-provider gave that client. Read before
 * the record is destroyed, so back-channel logout can name the session (modules/logout).
 */
import type { EndedSession } from '../../server/modules/logout/index.js';

/** Told about every session ended outside the provider's own logout (account page, admin, password reset). */
export interface SessionEndListener {
  sessionEnded(session: EndedSession): Promise<unknown>;
}

export function endedSessionOf(payload: Record<string, unknown>): EndedSession | undefined {
  const accountId = payload.accountId;
  if (typeof accountId !== 'string') return undefined;
  const authorizations = (payload.authorizations ?? {}) as Record<string, { sid?: unknown } | undefined>;
  return {
    accountId,
    clients: Object.entries(authorizations).map(([clientId, authorization]) => ({
      clientId,
      sid: typeof authorization?.sid === 'string' ? authorization.sid : undefined,
    })),
  };
}

/** Announces the end of the session in `payload` (when it had a user) to `listener`. */
export async function announceEnd(listener: SessionEndListener | undefined, payload: Record<string, unknown>): Promise<void> {
  const ended = listener ? endedSessionOf(payload) : undefined;
  if (ended && ended.clients.length) await listener!.sessionEnded(ended);
}
