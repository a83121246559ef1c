/**
 * /users/{userId}/sessions and /users/{userId}/grants: a user's browser sessions at the provider
 * and the grants (consents) clients hold, listed and revoked. Revoking a grant revokes every
 * token issued under it. Revocation needs no If-Match: it is idempotent and no one's change can
 * be lost by it.
 */
import { z } from 'zod';
import type { AccountRecordAdministration, UserGrant, UserSession } from '../../../modules/users/index.js';
import { decodeCursor } from '../../../shared/pagination.js';
import { operation, type AdminResource } from './kit/operation.js';
import { pageJson, pageQuery, pageSchema } from './kit/schemas.js';

const sessionSchema = z.object({
  id: z.string(),
  login_at: z.iso.datetime().nullable(),
  expires_at: z.iso.datetime().nullable(),
  amr: z.array(z.string()),
  acr: z.string().nullable(),
  client_ids: z.array(z.string()),
  device: z
    .object({
      browser: z.string().nullable().describe('Named from the User-Agent at sign-in (Chrome, Firefox, Safari, Edge…); null when not recognised'),
      os: z.string().nullable().describe('Named from the User-Agent at sign-in (Windows, macOS, Linux, iOS, Android…)'),
      network: z.string().nullable().describe('Coarse network last seen from: an IPv4 /24 (203.0.113.x) or IPv6 /48; the full address is only in the audit trail'),
      created_at: z.iso.datetime().describe('First sign-in through this session'),
      last_seen_at: z.iso.datetime().describe('Last use of the session (sign-in, authorization request, /account visit), refreshed at most every 5 minutes'),
    })
    .nullable()
    .describe('The browser behind the session; null for a session signed in before it was recorded'),
});

const grantSchema = z.object({
  id: z.string(),
  client_id: z.string(),
  scopes: z.array(z.string()),
  resources: z.record(z.string(), z.array(z.string())),
  issued_at: z.iso.datetime().nullable(),
  expires_at: z.iso.datetime().nullable(),
});

const iso = (date: Date | undefined) => date?.toISOString() ?? null;

const sessionJson = (s: UserSession): z.output<typeof sessionSchema> => ({
  id: s.id,
  login_at: iso(s.loginAt),
  expires_at: iso(s.expiresAt),
  amr: s.amr,
  acr: s.acr ?? null,
  client_ids: s.clientIds,
  device: s.device
    ? { browser: s.device.browser ?? null, os: s.device.os ?? null, network: s.device.network ?? null, created_at: s.device.createdAt.toISOString(), last_seen_at: s.device.lastSeenAt.toISOString() }
    : null,
});

const grantJson = (g: UserGrant): z.output<typeof grantSchema> => ({
  id: g.id,
  client_id: g.clientId,
  scopes: g.scopes,
  resources: g.resources,
  issued_at: iso(g.issuedAt),
  expires_at: iso(g.expiresAt),
});

const id = z.string().min(1).max(200);

export function userSessionsResource(records: AccountRecordAdministration): AdminResource {
  return {
    tag: { name: 'sessions and grants', description: 'A user’s sessions at the provider and the grants clients hold' },
    schemas: { Session: sessionSchema, SessionPage: pageSchema(sessionSchema), Grant: grantSchema, GrantPage: pageSchema(grantSchema) },
    operations: [
      operation({
        method: 'get',
        path: '/users/{userId}/sessions',
        operationId: 'listUserSessions',
        summary: 'List a user’s sessions',
        scope: 'admin:read',
        params: z.object({ userId: id }),
        query: z.object(pageQuery),
        responses: { 200: { description: 'A page of sessions', schema: 'SessionPage' } },
        problems: [404],
        async handle({ params, query }) {
          const page = await records.sessions(params.userId, { limit: query.limit, after: decodeCursor(query.cursor) });
          return { status: 200, body: pageJson(page, sessionJson) };
        },
      }),
      operation({
        method: 'delete',
        path: '/users/{userId}/sessions/{sessionId}',
        operationId: 'revokeUserSession',
        summary: 'End a session (the user must sign in again)',
        scope: 'admin:write',
        params: z.object({ userId: id, sessionId: id }),
        responses: { 204: { description: 'The session is ended' } },
        problems: [404],
        async handle({ params, by }) {
          await records.revokeSession(by, params.userId, params.sessionId);
          return { status: 204 };
        },
      }),
      operation({
        method: 'get',
        path: '/users/{userId}/grants',
        operationId: 'listUserGrants',
        summary: 'List the grants a user gave clients',
        scope: 'admin:read',
        params: z.object({ userId: id }),
        query: z.object(pageQuery),
        responses: { 200: { description: 'A page of grants', schema: 'GrantPage' } },
        problems: [404],
        async handle({ params, query }) {
          const page = await records.grants(params.userId, { limit: query.limit, after: decodeCursor(query.cursor) });
          return { status: 200, body: pageJson(page, grantJson) };
        },
      }),
      operation({
        method: 'delete',
        path: '/users/{userId}/grants/{grantId}',
        operationId: 'revokeUserGrant',
        summary: 'Revoke a grant and every token issued under it',
        scope: 'admin:write',
        params: z.object({ userId: id, grantId: id }),
        responses: { 204: { description: 'The grant and its tokens are revoked' } },
        problems: [404],
        async handle({ params, by }) {
          await records.revokeGrant(by, params.userId, params.grantId);
          return { status: 204 };
        },
      }),
    ],
  };
}
