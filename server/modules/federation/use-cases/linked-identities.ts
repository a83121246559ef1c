/**
 * The account page's view of linked upstream identities, and unlinking one — never the last way
 * to sign in (domain/link-decision.ts mayUnlink). Administrators unlink by the same rule
 * (`unlinkBy`); the audit event then names the administrator as the actor.
 */
import type { Acting, AuditTrail, RequestFacts } from '../../compliance/index.js';
import type { CredentialRepository } from '../../users/index.js';
import type { FederatedIdentity } from '../domain/identity.js';
import { mayUnlink } from '../domain/link-decision.js';
import type { FederatedIdentityStore } from '../ports.js';

export interface LinkedIdentityDeps {
  identities: FederatedIdentityStore;
  credentials: CredentialRepository;
  audit: AuditTrail;
}

export type UnlinkResult = 'unlinked' | 'not_found' | 'last_method';

export function createLinkedIdentities(deps: LinkedIdentityDeps) {
  return {
    async list(userId: string): Promise<{ identities: FederatedIdentity[]; hasPassword: boolean }> {
      const [identities, password] = await Promise.all([deps.identities.listForUser(userId), deps.credentials.findPassword(userId)]);
      return { identities, hasPassword: !!password };
    },

    async unlink(userId: string, identityId: string, facts: RequestFacts): Promise<UnlinkResult> {
      return this.unlinkBy({ ...facts, actor: { type: 'user', id: userId } }, userId, identityId);
    },

    async unlinkBy(by: Acting, userId: string, identityId: string): Promise<UnlinkResult> {
      const { actor, clientId, ...facts } = by;
      const who = { actor, subject: { type: 'user', id: userId } as const, ...(clientId ? { clientId } : {}), ...facts };
      const { identities, hasPassword } = await this.list(userId);
      const identity = identities.find((i) => i.id === identityId);
      if (!identity) return 'not_found';
      if (!mayUnlink({ hasPassword, linkedIdentities: identities.length })) {
        await deps.audit.record({
          type: 'auth.federation.unlinked', outcome: 'denied', ...who,
          details: { provider: identity.providerId, identity: identity.id, reason: 'last_method' },
        });
        return 'last_method';
      }
      if (!(await deps.identities.remove(userId, identityId))) return 'not_found';
      await deps.audit.record({
        type: 'auth.federation.unlinked', outcome: 'success', ...who,
        details: { provider: identity.providerId, identity: identity.id, issuer: identity.issuer },
      });
      return 'unlinked';
    },
  };
}

export type LinkedIdentities = ReturnType<typeof createLinkedIdentities>;
