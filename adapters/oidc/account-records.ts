/**
 * A user's sessions and grants, read from the provider's storage and revoked through the same
 * adapters oidc-provider uses. Sessions and grants are durable models (models.ts), so they are
 * always in the oidc_payloads table and can be listed by account; revoking a grant revokes every
 * token issued under it, wherever it lives (Redis or SQL).
 */
import type { Knex } from 'knex';
import type { AccountRecords, UserGrant, UserSession } from '../../server/modules/users/index.js';
import { toPage } from '../../server/shared/pagination.js';
import { revokeGrantEverywhere, type AdapterFactory } from './factory.js';
import { MODEL_STORE } from './models.js';
import { announceEnd, type SessionEndListener } from './ended-session.js';
import { forgetSessionDevices, sessionDevicesOf } from '../db/session-devices-repository.js';

// Listing by account is a SQL query: it works only while these models are routed to the database.
if (MODEL_STORE.Session !== 'durable' || MODEL_STORE.Grant !== 'durable') throw new Error('account records expect sessions and grants in the database');

const TABLE = 'oidc_payloads';

const seconds = (value: unknown) => (typeof value === 'number' ? new Date(value * 1000) : undefined);
const words = (value: unknown) => (typeof value === 'string' ? value.split(' ').filter(Boolean) : []);

interface SessionPayload {
  uid: string;
  loginTs?: number;
  exp?: number;
  amr?: string[];
  acr?: string;
  authorizations?: Record<string, unknown>;
}

interface GrantPayload {
  clientId: string;
  iat?: number;
  exp?: number;
  openid?: { scope?: string };
  resources?: Record<string, string>;
}

function toSession(payload: SessionPayload): UserSession {
  return {
    id: payload.uid,
    loginAt: seconds(payload.loginTs),
    expiresAt: seconds(payload.exp),
    amr: Array.isArray(payload.amr) ? payload.amr : [],
    acr: payload.acr,
    clientIds: Object.keys(payload.authorizations ?? {}).sort(),
  };
}

function toGrant(id: string, payload: GrantPayload): UserGrant {
  return {
    id,
    clientId: payload.clientId,
    scopes: words(payload.openid?.scope),
    resources: Object.fromEntries(Object.entries(payload.resources ?? {}).map(([resource, scope]) => [resource, words(scope)])),
    issuedAt: seconds(payload.iat),
    expiresAt: seconds(payload.exp),
  };
}

/** @param sessions told about each session revoked here, before its record goes (back-channel logout). */
export function createAccountRecords(knex: Knex, adapterFor: AdapterFactory, sessions?: SessionEndListener): AccountRecords {
  const live = (model: 'Session' | 'Grant', accountId: string) =>
    knex(TABLE)
      .where({ model, account_id: accountId })
      .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', knex.fn.now()));
  const grantIds = async (accountId: string) => ((await live('Grant', accountId).select('id')) as Array<{ id: string }>).map((r) => r.id);

  return {
    async listSessions(userId, page) {
      // The uid, not the id: a session's id is its cookie value, a bearer credential.
      const query = live('Session', userId).orderBy('uid').limit(page.limit + 1).select('payload');
      if (page.after !== undefined) query.andWhere('uid', '>', page.after);
      const rows = (await query) as Array<{ payload: SessionPayload }>;
      const devices = await sessionDevicesOf(knex, rows.map((r) => r.payload.uid));
      const sessions = rows.map((r) => {
        const session = toSession(r.payload);
        const device = devices.get(session.id);
        return device ? { ...session, device } : session;
      });
      return toPage(sessions, page.limit, (s) => s.id);
    },
    async revokeSession(userId, sessionId) {
      const row = (await live('Session', userId).andWhere({ uid: sessionId }).first('id', 'payload')) as { id: string; payload: Record<string, unknown> } | undefined;
      if (!row) return false;
      await announceEnd(sessions, row.payload);
      await adapterFor('Session').destroy(row.id);
      await forgetSessionDevices(knex, [sessionId]);
      return true;
    },
    async listGrants(userId, page) {
      const query = live('Grant', userId).orderBy('id').limit(page.limit + 1).select('id', 'payload');
      if (page.after !== undefined) query.andWhere('id', '>', page.after);
      const rows = (await query) as Array<{ id: string; payload: GrantPayload }>;
      return toPage(rows.map((r) => toGrant(r.id, r.payload)), page.limit, (g) => g.id);
    },
    async revokeGrant(userId, grantId) {
      if (!(await live('Grant', userId).andWhere({ id: grantId }).first('id'))) return false;
      await revokeGrantEverywhere(adapterFor, grantId);
      return true;
    },
    async revokeAllGrants(userId) {
      const ids = await grantIds(userId);
      for (const id of ids) await revokeGrantEverywhere(adapterFor, id);
      return ids.length;
    },
    async revokeAllSessions(userId) {
      const rows = (await live('Session', userId).select('id', 'payload')) as Array<{ id: string; payload: Record<string, unknown> }>;
      for (const row of rows) {
        await announceEnd(sessions, row.payload);
        await adapterFor('Session').destroy(row.id);
      }
      await forgetSessionDevices(knex, rows.map((r) => String(r.payload.uid ?? '')));
      return rows.length;
    },
    async countActiveSessions() {
      const [row] = (await knex(TABLE)
        .where({ model: 'Session' })
        .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', knex.fn.now()))
        .count({ count: '*' })) as Array<{ count: string | number }>;
      return Number(row?.count ?? 0);
    },
  };
}
