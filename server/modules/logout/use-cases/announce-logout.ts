/**
 * Queues a logout notice in the outbox for each client of an ended session that registered a
 * back-channel logout URI (§2.7: the OP sends to every RP with a session). Clients that require
 * `sid` are skipped when the session's `sid` for them is unknown: a token without it would be
 * refused by them anyway.
 */
import type { Outbox } from '../../notifications/index.js';
import type { Random } from '../../../shared/random.js';
import { registrationOf, wantsNotice, type EndedSession, type LogoutNotice } from '../domain/logout-notice.js';
import type { LogoutClients } from '../ports.js';

export const LOGOUT_KIND = 'backchannel_logout' as const;

export interface LogoutAnnouncerDeps {
  clients: LogoutClients;
  outbox: Pick<Outbox, 'add'>;
  random: Pick<Random, 'uuid'>;
  maxAttempts: number;
}

export interface LogoutAnnouncer {
  /** @returns the ids of the clients that will be notified. */
  sessionEnded(session: EndedSession): Promise<string[]>;
}

export function createLogoutAnnouncer(deps: LogoutAnnouncerDeps): LogoutAnnouncer {
  return {
    async sessionEnded(session) {
      const notified: string[] = [];
      for (const { clientId, sid } of session.clients) {
        const metadata = await deps.clients.metadataOf(clientId);
        if (!metadata || !wantsNotice(registrationOf(metadata), sid)) continue;
        const notice: LogoutNotice = { clientId, sub: session.accountId, sid, jti: deps.random.uuid() };
        await deps.outbox.add({ kind: LOGOUT_KIND, topic: clientId, payload: notice, maxAttempts: deps.maxAttempts });
        notified.push(clientId);
      }
      return notified;
    },
  };
}
