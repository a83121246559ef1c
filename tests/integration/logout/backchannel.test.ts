/**
 * Back-channel logout end to end: a relying party (openid-client) signs in; its session then ends
 * by RP-initiated logout, on the account page, by an administrator or by a password reset; each time the client's
 * backchannel_logout_uri receives a logout token (verified with jose) through the outbox, with
 * `sid` for a client that requires it. Failures: a 500 is retried with the same jti and logged per
 * attempt; a URI the webhook address policy refuses is never called and dead-lettered; a client
 * without a URI gets nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDefinitionSchema } from '../../../server/modules/clients/index.js';
import { UserAgent } from '../../helpers/browser.js';
import { adminTokenFor, AdminApiClient } from '../../helpers/admin-api.js';
import { startLogoutReceiver, type LogoutReceiver } from '../../helpers/logout-receiver.js';
import { SPA_CLIENT, startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { adminSeed, AUDIENCE, SECRET } from '../admin/context.js';
import { page, post } from '../self-service/support.js';
import { signIn, webClient } from '../protocol/support.js';

let op: TestProvider;
let rp: LogoutReceiver;
const NARROW = { client_id: 'narrow-app', client_secret: 'narrow-app-secret-that-is-long-enough-123456', redirect_uri: 'http://127.0.0.1:9999/narrow' };

beforeAll(async () => {
  rp = await startLogoutReceiver();
  const seed = adminSeed() as { clients: Array<Record<string, unknown>> };
  const web = seed.clients.find((c) => c.client_id === WEB_CLIENT.client_id)!;
  Object.assign(web, { backchannel_logout_uri: `${rp.origin}/web/logout`, backchannel_logout_session_required: true });
  op = await startTestProvider({
    seed,
    env: { ADMIN_API_AUDIENCE: AUDIENCE, WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', OUTBOX_POLL_INTERVAL: '1', OUTBOX_RETRY_BASE: '1', OUTBOX_RETRY_CAP: '1' },
  });
  // A URI on a network the address policy does not allow: a seed or the admin API refuses it
  // now, so it is stored as a client saved before that check (or whose host's DNS changed) is.
  const narrow = clientDefinitionSchema.parse({ client_id: NARROW.client_id, redirect_uris: [NARROW.redirect_uri], scope: 'openid', backchannel_logout_uri: 'http://10.255.255.1/logout' });
  const { client_id: clientId, ...metadata } = narrow;
  await op.running.container.seedDeps.clients.save({ clientId, metadata: { ...metadata, token_endpoint_auth_method: 'client_secret_basic' }, secret: NARROW.client_secret, source: 'seed' });
}, 60_000);
afterAll(async () => {
  await op?.stop();
  await rp?.close();
});

/** Waits until the receiver has `count` requests (the outbox worker polls every second). */
async function received(count: number) {
  for (let i = 0; i < 120 && rp.received.length < count; i += 1) await new Promise((r) => setTimeout(r, 250));
  expect(rp.received.length).toBeGreaterThanOrEqual(count);
  return rp.received.slice(0, count);
}

async function outboxRows(topic: string) {
  const { knex } = op.running.container.database;
  return (await knex('outbox_messages').where({ kind: 'backchannel_logout', topic }).orderBy('created_at')) as Array<{ id: string; status: string; attempts: number; last_error: string | null }>;
}

describe('back-channel logout', () => {
  it('discovery says back-channel logout with sid is supported; the ID token carries sid', async () => {
    const config = await webClient(op);
    const metadata = config.serverMetadata();
    expect(metadata.backchannel_logout_supported).toBe(true);
    expect(metadata.backchannel_logout_session_supported).toBe(true);
    expect(metadata.frontchannel_logout_supported).toBeUndefined();
    const { tokens } = await signIn(op, config, { scope: 'openid' });
    expect(typeof tokens.claims()?.sid).toBe('string');
  });

  it('RP-initiated logout: the client receives a verified logout token naming the user and the session', async () => {
    rp.received.length = 0;
    const config = await webClient(op);
    const { tokens, agent } = await signIn(op, config, { scope: 'openid' });
    const idClaims = tokens.claims()!;
    const { response } = await agent.follow(client.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! }));
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(await response.text())![1]!;
    await agent.submit('/session/end/confirm', { xsrf, logout: 'yes' });

    const [delivery] = await received(1);
    expect(delivery!.path).toBe('/web/logout');
    expect(delivery!.contentType).toBe('application/x-www-form-urlencoded');
    const claims = await rp.verify(delivery!.form.get('logout_token')!, op.issuer, WEB_CLIENT.client_id);
    expect(claims.sub).toBe(idClaims.sub);
    expect(claims.sid).toBe(idClaims.sid);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(120);
  });

  it('a 500 is retried with the same jti; each attempt is in the delivery log', async () => {
    rp.received.length = 0;
    rp.script(500);
    const config = await webClient(op);
    const { agent } = await signIn(op, config, { scope: 'openid' });
    const { response } = await agent.follow(client.buildEndSessionUrl(config, { client_id: WEB_CLIENT.client_id }));
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(await response.text())![1]!;
    await agent.submit('/session/end/confirm', { xsrf, logout: 'yes' });
    const [first, second] = await received(2);
    const a = await rp.verify(first!.form.get('logout_token')!, op.issuer, WEB_CLIENT.client_id);
    const b = await rp.verify(second!.form.get('logout_token')!, op.issuer, WEB_CLIENT.client_id);
    expect(b.jti).toBe(a.jti);
    const rows = await outboxRows(WEB_CLIENT.client_id);
    const row = rows.at(-1)!;
    for (let i = 0; i < 40 && (await op.running.container.delivery.outbox.find(row.id))?.status !== 'delivered'; i += 1) await new Promise((r) => setTimeout(r, 250));
    const attempts = await op.running.container.delivery.outbox.attempts(row.id);
    expect(attempts.map((x) => [x.status, x.responseStatus])).toEqual([['retry', 500], ['delivered', 200]]);
  });

  it('ending the session on the account page notifies the client', async () => {
    rp.received.length = 0;
    const config = await webClient(op);
    const { agent, tokens } = await signIn(op, config, { scope: 'openid' });
    const account = await page(agent, '/account');
    const action = /action="(\/account\/sessions\/[^"/]+\/end)[^"]*"/.exec(account.html)?.[1];
    expect(action, account.html.slice(0, 300)).toBeTruthy();
    await post(agent, account.html, action!, {});
    const [delivery] = await received(1);
    const claims = await rp.verify(delivery!.form.get('logout_token')!, op.issuer, WEB_CLIENT.client_id);
    expect(claims.sid).toBe(tokens.claims()!.sid);
  });

  it('an administrator ending the session notifies the client', async () => {
    rp.received.length = 0;
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid' });
    const api = await AdminApiClient.open(op.issuer);
    const token = await adminTokenFor(op.issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
    const users = await api.call<{ items: Array<{ id: string; username: string }> }>('GET', `/users?username=${TEST_USER.username}`, { token });
    const user = users.body.items.find((u) => u.username === TEST_USER.username)!;
    const sessions = await api.call<{ items: Array<{ id: string; client_ids: string[] }> }>('GET', `/users/${user.id}/sessions`, { token });
    // Earlier tests' sessions are still alive too: each one with the client is ended and announced.
    const ended = sessions.body.items.filter((s) => s.client_ids.includes(WEB_CLIENT.client_id));
    for (const session of ended) {
      expect((await api.call('DELETE', `/users/${user.id}/sessions/${session.id}`, { token })).status).toBe(204);
    }
    const deliveries = await received(ended.length);
    const sids = await Promise.all(deliveries.map(async (d) => (await rp.verify(d.form.get('logout_token')!, op.issuer, WEB_CLIENT.client_id)).sid));
    expect(sids).toContain(tokens.claims()!.sid);
  });

  it('a password reset ends every session of the account and notifies the client of each', async () => {
    rp.received.length = 0;
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid' });
    const user = (await op.running.container.users.findByLogin(TEST_USER.username))!;
    // What completing a reset does after the new password is stored (self-service recovery.ts).
    const revoked = await op.running.container.http.selfService.services.artifacts.revokeEverything(user.id);
    expect(revoked.sessions).toBeGreaterThanOrEqual(1);
    const deliveries = await received(1);
    const sids = await Promise.all(deliveries.map(async (d) => (await rp.verify(d.form.get('logout_token')!, op.issuer, WEB_CLIENT.client_id)).sid));
    expect(sids).toContain(tokens.claims()!.sid);
  });

  it('a URI the address policy refuses is never called: dead-lettered with the reason; a client without a URI gets nothing', async () => {
    const narrow = await discover(op.issuer, NARROW.client_id, NARROW.client_secret);
    const spa = await discover(op.issuer, SPA_CLIENT.client_id);
    const agent = new UserAgent(op.issuer);
    const { tokens } = await signIn(op, narrow, { scope: 'openid', redirectUri: NARROW.redirect_uri, agent });
    await signIn(op, spa, { scope: 'openid', redirectUri: SPA_CLIENT.redirect_uri, agent });
    const { response } = await agent.follow(client.buildEndSessionUrl(narrow, { id_token_hint: tokens.id_token! }));
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(await response.text())![1]!;
    await agent.submit('/session/end/confirm', { xsrf, logout: 'yes' });
    let rows = await outboxRows(NARROW.client_id);
    for (let i = 0; i < 40 && rows[0]?.status !== 'dead'; i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      rows = await outboxRows(NARROW.client_id);
    }
    expect(rows[0]?.status).toBe('dead');
    expect(rows[0]?.last_error).toContain('endpoint refused');
    expect(await outboxRows(SPA_CLIENT.client_id)).toEqual([]);
  });
});
