/**
 * A user's sessions and grants through the admin API, with real sign-ins by openid-client: a
 * revoked grant takes its refresh and access tokens with it; the admin-role path (a user's
 * authorization code flow for the admin API) works and stops when the admin is disabled.
 */
import { describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { introspect, signIn, webClient } from '../protocol/support.js';
import { ADMIN_USER, AUDIENCE, type AdminTestContext } from './context.js';
import type { TestProvider } from '../../helpers/provider.js';
import type { AuditEventType } from '../../../server/modules/compliance/index.js';

/** The newest audit record of `type` about `subjectId`, read from the hash-chained trail. */
async function auditRecord(op: TestProvider, type: AuditEventType, subjectId: string) {
  const { compliance } = op.running.container;
  await compliance.trail.flush();
  const { records } = await compliance.search({ types: [type], subjectId }, { limit: 10 });
  expect(records.length).toBeGreaterThan(0);
  return records[0]!;
}

type Session = { id: string; client_ids: string[]; amr: string[]; device: { browser: string | null; os: string | null; network: string | null; created_at: string; last_seen_at: string } | null };
type Grant = { id: string; client_id: string; scopes: string[] };
type Page<T> = { items: T[]; next_cursor?: string };

export function sessionsSuite(ctx: () => AdminTestContext) {
  const aliceId = async () => (await ctx().op.running.container.users.findByUsername(TEST_USER.username))!.id;

  describe('sessions and grants', () => {
    it('lists and revokes a grant, which revokes its refresh and access tokens', async () => {
      const { api, tokens, op } = ctx();
      const config = await webClient(op);
      const { tokens: issued } = await signIn(op, config, { scope: 'openid offline_access', prompt: 'consent' });
      const id = await aliceId();
      const grants = await api.call<Page<Grant>>('GET', `/users/${id}/grants`, { token: tokens.reader });
      expect(grants.status).toBe(200);
      const grant = grants.body.items.find((g) => g.client_id === WEB_CLIENT.client_id)!;
      expect(grant.scopes).toEqual(expect.arrayContaining(['openid', 'offline_access']));
      expect((await introspect(op, issued.access_token)).active).toBe(true);

      expect((await api.call('DELETE', `/users/${id}/grants/${grant.id}`, { token: tokens.writer })).status).toBe(204);
      await expect(client.refreshTokenGrant(config, issued.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await introspect(op, issued.access_token)).active).toBe(false);
      expect((await api.call('DELETE', `/users/${id}/grants/${grant.id}`, { token: tokens.writer })).status).toBe(404);
      const after = await api.call<Page<Grant>>('GET', `/users/${id}/grants`, { token: tokens.reader });
      expect(after.body.items.map((g) => g.id)).not.toContain(grant.id);
    });

    it('lists and ends sessions by their public id, never the cookie value', async () => {
      const { api, tokens, op } = ctx();
      const id = await aliceId();
      await signIn(op, await webClient(op), { scope: 'openid' });
      const sessions = await api.call<Page<Session>>('GET', `/users/${id}/sessions?limit=1`, { token: tokens.reader });
      expect(sessions.status).toBe(200);
      const session = sessions.body.items[0]!;
      expect(session.client_ids).toContain(WEB_CLIENT.client_id);
      // The browser behind it, as recorded at sign-in: this test's fetch names no known browser; the peer is loopback.
      expect(session.device).toMatchObject({ browser: null, os: null, network: '127.0.0.x' });
      expect(Date.parse(session.device!.last_seen_at)).toBeGreaterThanOrEqual(Date.parse(session.device!.created_at));
      const stored = await op.running.container.database.knex('oidc_payloads').where({ model: 'Session', account_id: id }).select('id', 'uid');
      expect(stored.map((r: { uid: string }) => r.uid)).toContain(session.id);
      expect(stored.map((r: { id: string }) => r.id)).not.toContain(session.id);
      expect((await api.call('DELETE', `/users/${id}/sessions/${session.id}`, { token: tokens.writer })).status).toBe(204);
      expect(await op.running.container.database.knex('session_devices').where({ session_uid: session.id })).toEqual([]);
      expect((await api.call('DELETE', `/users/${id}/sessions/${session.id}`, { token: tokens.writer })).status).toBe(404);
      expect((await api.call('GET', '/users/nobody/sessions', { token: tokens.reader })).status).toBe(404);
      expect((await api.call('GET', '/users/nobody/grants', { token: tokens.reader })).status).toBe(404);
    });

    it('revokes all grants at once when roles are set with revoke_grants=true', async () => {
      const { api, tokens, op } = ctx();
      const config = await webClient(op);
      const { tokens: issued } = await signIn(op, config, { scope: 'openid offline_access', prompt: 'consent' });
      const id = await aliceId();
      const user = await api.call<{ roles: string[] }>('GET', `/users/${id}`, { token: tokens.reader });
      const set = await api.call('PUT', `/users/${id}/roles?revoke_grants=true`, { token: tokens.writer, body: { roles: user.body.roles }, ifMatch: user.etag });
      expect(set.status).toBe(200);
      await expect(client.refreshTokenGrant(config, issued.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await api.call<Page<Grant>>('GET', `/users/${id}/grants`, { token: tokens.reader })).body.items).toEqual([]);
    });

    it('accepts a user’s token from the authorization code flow via the admin role, until the user is disabled', async () => {
      const { api, tokens, op } = ctx();
      const config = await webClient(op);
      const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid admin:read admin:write', resource: AUDIENCE });
      const { callback } = await authorize(new UserAgent(op.issuer), request.url, { login: ADMIN_USER.username, password: ADMIN_USER.password });
      const issued = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
      expect(issued.scope?.split(' ')).toEqual(expect.arrayContaining(['admin:read', 'admin:write']));
      const created = await api.call<{ id: string }>('POST', '/users', { token: issued.access_token, body: { username: 'made-by-admin' } });
      expect(created.status).toBe(201);
      const audit = await auditRecord(op, 'admin.user.created', created.body.id);
      expect(audit.actor).toEqual({ type: 'user', id: issued.claims()!.sub });
      expect((audit as { clientId?: string }).clientId).toBe(WEB_CLIENT.client_id);
      expect(audit.requestId).toEqual(created.headers.get('x-request-id'));
      expect(audit.ip).toBeTruthy();

      // alice (order-manager only) gets a token for the admin API without admin scopes: 403.
      const alice = await signIn(op, config, { scope: 'openid admin:read', resource: AUDIENCE, prompt: 'consent' });
      expect((await api.call('GET', '/users', { token: alice.tokens.access_token })).status).toBe(403);

      const admin = await api.call<{ id: string }>('GET', `/users/${issued.claims()!.sub}`, { token: tokens.reader });
      await api.call('POST', `/users/${admin.body.id}/disable`, { token: tokens.writer });
      const refused = await api.call('GET', '/users', { token: issued.access_token });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="admin", error="invalid_token", error_description="the user of the token is disabled or no longer exists"');
      await api.call('POST', `/users/${admin.body.id}/enable`, { token: tokens.writer });
    });

    it('disabling a user ends their sessions and revokes their grants and tokens at once', async () => {
      const { api, tokens, op } = ctx();
      const config = await webClient(op);
      const { tokens: issued } = await signIn(op, config, { scope: 'openid offline_access', prompt: 'consent' });
      const id = await aliceId();
      expect((await api.call<Page<Session>>('GET', `/users/${id}/sessions`, { token: tokens.reader })).body.items.length).toBeGreaterThan(0);
      expect((await api.call('POST', `/users/${id}/disable`, { token: tokens.writer })).status).toBe(200);
      expect((await api.call<Page<Session>>('GET', `/users/${id}/sessions`, { token: tokens.reader })).body.items).toEqual([]);
      expect((await api.call<Page<Grant>>('GET', `/users/${id}/grants`, { token: tokens.reader })).body.items).toEqual([]);
      await expect(client.refreshTokenGrant(config, issued.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect((await introspect(op, issued.access_token)).active).toBe(false);
      const audit = await auditRecord(op, 'admin.user.disabled', id);
      expect(audit.details!.grantsRevoked).toBeGreaterThan(0);
      expect((await api.call('POST', `/users/${id}/enable`, { token: tokens.writer })).status).toBe(200);
    });

    it('records client actors with request facts in audit events', async () => {
      const { api, tokens, op } = ctx();
      const created = await api.call<{ id: string }>('POST', '/users', { token: tokens.writer, body: { username: 'audited' }, headers: { 'user-agent': 'admin-tool/1.0', 'x-request-id': 'req-audit-12345' } });
      expect(await auditRecord(op, 'admin.user.created', created.body.id)).toMatchObject({ outcome: 'success', actor: { type: 'client', id: 'admin-writer' }, requestId: 'req-audit-12345', userAgent: 'admin-tool/1.0', ip: expect.any(String) });
    });
  });
}
