/**
 * An account's records at the protocol engine, for self-service: its browser sessions and its
 * grants, listed a page at a time (keyset-page.ts) from the durable store (Session and Grant always live in SQL, with account_id
 * pulled out), and revoked through the same adapters oidc-provider uses, so tokens held in Redis
 * are reached too. Revoking a grant removes every access token, refresh token and code issued
 * under it (GRANT_BOUND_MODELS), then the grant itself — what oidc-provider does on reuse.
 */
import type { Knex } from 'knex';
import type { GrantInfo, ProviderArtifacts, SessionInfo } from '../../server/modules/self-service/index.js';
import type { AdapterFactory } from './factory.js';
import { keysetPage, type KeyedRow } from './keyset-page.js';
import { GRANT_BOUND_MODELS } from './models.js';
import { stored } from './sql-store.js';
import { announceEnd, type SessionEndListener } from './ended-session.js';
import { forgetSessionDevices, sessionDevicesOf } from '../db/session-devices-repository.js';

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

function toSession(row: KeyedRow): SessionInfo {
  const payload = stored(row.payload) as SessionPayload;
  return {
    id: row.id,
    uid: payload.uid ?? '',
    loginTs: payload.loginTs,
    expiresAt: row.expires_at ? new Date(row.expires_at) : undefined,
    clientIds: Object.keys(payload.authorizations ?? {}),
  };
}

function toGrant(row: KeyedRow): GrantInfo {
  const payload = stored(row.payload) as GrantPayload;
  return {
    id: row.id,
    clientId: payload.clientId ?? '',
    scopes: words(payload.openid?.scope),
    resources: Object.fromEntries(Object.entries(payload.resources ?? {}).map(([resource, scope]) => [resource, words(scope)])),
    createdAt: payload.iat ? new Date(payload.iat * 1000) : undefined,
    expiresAt: row.expires_at ? new Date(row.expires_at) : undefined,
  };
}

/** @param sessions told about each session ended here, before its record goes (back-channel logout). */
export function createProviderArtifacts(knex: Knex, adapterFor: AdapterFactory, sessions?: SessionEndListener): ProviderArtifacts {
  const liveRows = (model: string, accountId: string) =>
    knex('oidc_payloads')
      .where({ model, account_id: accountId })
      .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', knex.fn.now()));
  const live = (model: string, accountId: string) => liveRows(model, accountId).select<PayloadRow[]>('id', 'payload', 'expires_at');
  /** One live row of the account, by id (never another account's). */
  const liveOne = async (model: string, accountId: string, id: string) => (await live(model, accountId).where({ id }))[0];

  const revokeGrant = async (grantId: string) => {
    await Promise.all([...GRANT_BOUND_MODELS].map((model) => adapterFor(model).revokeByGrantId(grantId)));
    await adapterFor('Grant').destroy(grantId);
  };

  const endSessionRow = async (row: PayloadRow): Promise<number> => {
    const payload = stored(row.payload) as SessionPayload;
    await announceEnd(sessions, payload as unknown as Record<string, unknown>);
    await adapterFor('Session').destroy(row.id);
    await forgetSessionDevices(knex, [payload.uid ?? '']);
    // As oidc-provider's own logout: grants of the session end with it, unless they were meant
    // to outlive it (offline access sets persistsLogout).
    const grants = Object.values(payload.authorizations ?? {}).filter((a) => a.grantId && !a.persistsLogout).map((a) => a.grantId!);
    await Promise.all(grants.map(revokeGrant));
    return grants.length;
  };

  return {
    async sessionsOf(accountId, page) {
      const sessions = await keysetPage(knex, () => liveRows('Session', accountId), 'loginTs', page, toSession);
      const devices = await sessionDevicesOf(knex, sessions.items.map((s) => s.uid));
      return { ...sessions, items: sessions.items.map((s) => { const device = devices.get(s.uid); return device ? { ...s, device } : s; }) };
    },
    async endSession(accountId, sessionId) {
      const row = await liveOne('Session', accountId, sessionId);
      if (!row) return false;
      await endSessionRow(row);
      return true;
    },
    grantsOf(accountId, page, exceptClientId) {
      const rows = () => {
        const query = liveRows('Grant', accountId);
        return exceptClientId === undefined ? query : query.whereRaw("coalesce(payload->>'clientId', '') <> ?", [exceptClientId]);
      };
      return keysetPage(knex, rows, 'iat', page, toGrant);
    },
    async revokeGrant(accountId, grantId) {
      const row = await liveOne('Grant', accountId, grantId);
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
