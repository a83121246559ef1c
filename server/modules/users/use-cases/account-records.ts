/**
 * A user's sessions and grants as administrators see and revoke them. Revoking a grant revokes
 * every token issued under it, as the protocol engine does on grant revocation.
 */
import { changeEvent, type Acting, type AuditTrail } from '../../compliance/index.js';
import type { Page, PageRequest } from '../../../shared/pagination.js';
import type { AccountRecords, UserGrant, UserRepository, UserSession } from '../ports.js';
import { notFound } from './administer-users.js';

export interface AccountRecordDeps {
  users: Pick<UserRepository, 'findById'>;
  records: AccountRecords;
  audit: AuditTrail;
}

export function createAccountRecordAdministration(deps: AccountRecordDeps) {
  const userMustExist = async (userId: string) => {
    if (!(await deps.users.findById(userId))) throw notFound();
  };
  const record = (by: Acting, type: 'admin.session.revoked' | 'admin.grant.revoked', userId: string, subject: { type: 'session' | 'grant'; id: string }) =>
    deps.audit.record(changeEvent(by, type, subject, { userId }));
  return {
    async sessions(userId: string, page: PageRequest): Promise<Page<UserSession>> {
      await userMustExist(userId);
      return deps.records.listSessions(userId, page);
    },
    async revokeSession(by: Acting, userId: string, sessionId: string): Promise<void> {
      if (!(await deps.records.revokeSession(userId, sessionId))) throw notFound('session');
      await record(by, 'admin.session.revoked', userId, { type: 'session', id: sessionId });
    },
    async grants(userId: string, page: PageRequest): Promise<Page<UserGrant>> {
      await userMustExist(userId);
      return deps.records.listGrants(userId, page);
    },
    async revokeGrant(by: Acting, userId: string, grantId: string): Promise<void> {
      if (!(await deps.records.revokeGrant(userId, grantId))) throw notFound('grant');
      await record(by, 'admin.grant.revoked', userId, { type: 'grant', id: grantId });
    },
  };
}

export type AccountRecordAdministration = ReturnType<typeof createAccountRecordAdministration>;
