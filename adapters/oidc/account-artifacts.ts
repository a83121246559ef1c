/**
 * An account's records at the protocol engine, for self-service: its browser sessions and its
 * grants, listed from the durable store (Session and Grant always live in SQL, with account_id
 * pulled out), and revoked through the same adapters oidc-provider uses, so tokens held in Redis
 * are reached too. Revoking a grant removes every access token, refresh token and code issued
 * under it (GRANT_BOUND_MODELS), then the grant itself — what oidc-provider does on reuse.
 */
import type { Knex } from 'knex';
import type { GrantInfo, ProviderArtifacts, SessionInfo } from '../../server/modules/self-service/index.js';
import type { AdapterFactory } from './factory.js';
import { GRANT_BOUND_MODELS } from './models.js';

interface PayloadRow {
  id: string;
  payload: Record<string, unknown>;
  expires_at: Date | string | null;
}

interface SessionPayload {
  uid?: string;
  loginTs?: number;
  authorizations?: Record<string, { grantId?: string; persistsLogout?: boolean }>;
}

interface GrantPayload {
  clientId?: string;
  iat?: number;
  openid?: { scope?: string };
  resources?: Record<string, string>;
}

const words = (value: string | undefined) => (value ?? '').split(' ').filter(Boolean);

export function createProviderArtifacts(knex: Knex, adapterFor: AdapterFactory): ProviderArtifacts {
  const live = (model: string, accountId: string) =>
    knex('oidc_payloads')
      .where({ model, account_id: accountId })
      .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', knex.fn.now()))
      .select<PayloadRow[]>('id', 'payload', 'expires_at');

  const revokeGrant = async (grantId: string) => {
    await Promise.all([...GRANT_BOUND_MODELS].map((model) => adapterFor(model).revokeByGrantId(grantId)));
    await adapterFor('Grant').destroy(grantId);
  };

  const endSessionRow = async (row: PayloadRow): Promise<number> => {
    const payload = row.payload as SessionPayload;
    await adapterFor('Session').destroy(row.id);
    // As oidc-provider's own logout: grants of the session end with it, unless they were meant
    // to outlive it (offline access sets persistsLogout).
    const grants = Object.values(payload.authorizations ?? {}).filter((a) => a.grantId && !a.persistsLogout).map((a) => a.grantId!);
    await Promise.all(grants.map(revokeGrant));
    return grants.length;
  };

  return {
    async sessionsOf(accountId) {
      const rows = await live('Session', accountId);
      return rows
        .map((row): SessionInfo => {
          const payload = row.payload as SessionPayload;
          return {
            id: row.id,
            uid: payload.uid ?? '',
            loginTs: payload.loginTs,
            expiresAt: row.expires_at ? new Date(row.expires_at) : undefined,
            clientIds: Object.keys(payload.authorizations ?? {}),
          };
        })
        .sort((a, b) => (b.loginTs ?? 0) - (a.loginTs ?? 0));
    },
    async endSession(accountId, sessionId) {
      const row = (await live('Session', accountId)).find((r) => r.id === sessionId);
      if (!row) return false;
      await endSessionRow(row);
      return true;
    },
    async grantsOf(accountId) {
      const rows = await live('Grant', accountId);
      return rows
        .map((row): GrantInfo => {
          const payload = row.payload as GrantPayload;
          return {
            id: row.id,
            clientId: payload.clientId ?? '',
            scopes: words(payload.openid?.scope),
            resources: Object.fromEntries(Object.entries(payload.resources ?? {}).map(([resource, scope]) => [resource, words(scope)])),
            createdAt: payload.iat ? new Date(payload.iat * 1000) : undefined,
            expiresAt: row.expires_at ? new Date(row.expires_at) : undefined,
          };
        })
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    },
    async revokeGrant(accountId, grantId) {
      const row = (await live('Grant', accountId)).find((r) => r.id === grantId);
      if (!row) return false;
      await revokeGrant(grantId);
      return true;
    },
    async revokeEverything(accountId) {
      const sessions = await live('Session', accountId);
      for (const row of sessions) await endSessionRow(row);
      const grants = await live('Grant', accountId);
      for (const row of grants) await revokeGrant(row.id);
      return { sessions: sessions.length, grants: grants.length };
    },
  };
}
