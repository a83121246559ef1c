/**
 * Consent remembered across browser sessions (server/oidc/existing-grant.ts): a user who allowed
 * a client in one browser is not asked again in another for the same scopes, is asked only for
 * what the existing grant does not cover, and is asked again once the grant was revoked in
 * /account or through the admin API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { API, TEST_USER, WEB_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { AdminApiClient, adminTokenFor } from '../../helpers/admin-api.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { AUDIENCE, SECRET, adminSeed } from '../admin/context.js';
import { alice, webClient, type RpConfig } from '../protocol/support.js';
import { post, signInToAccount } from './support.js';

let op: TestProvider;
let config: RpConfig;
beforeAll(async () => {
  op = await startTestProvider({ seed: adminSeed(), env: { ADMIN_API_AUDIENCE: AUDIENCE, KEY_ROTATION_OVERLAP: '7200' } });
  config = await webClient(op);
});
afterAll(async () => {
  await op?.stop();
});

const isConsent = (html: string) => html.includes('name="decision"');

/** A code flow in a brand-new browser; @returns the pages shown and the tokens. */
async function inNewBrowser(scope: string, extra: Record<string, string> = {}) {
  const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope, ...extra });
  const agent = new UserAgent(op.issuer);
  const { callback, pages } = await authorize(agent, request.url, alice);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
  return { pages, tokens, agent };
}

async function aliceGrantIds(): Promise<string[]> {
  const id = (await op.running.container.users.findByUsername(TEST_USER.username))!.id;
  const rows = await op.running.container.database.knex('oidc_payloads').where({ model: 'Grant', account_id: id }).select('id', 'payload');
  return rows.filter((r: { payload: { clientId?: string } }) => r.payload.clientId === WEB_CLIENT.client_id).map((r: { id: string }) => r.id);
}

describe('consent across browser sessions', () => {
  it('is asked once; a new browser with the same scopes goes straight back to the client', async () => {
    const first = await inNewBrowser('openid email');
    expect(first.pages.some(isConsent)).toBe(true);
    const second = await inNewBrowser('openid email');
    expect(second.pages.some(isConsent)).toBe(false);
    expect(second.tokens.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
    // The second browser reuses the grant rather than adding one.
    expect(await aliceGrantIds()).toHaveLength(1);
  });

  it('asks only for what the grant does not cover: a new API scope', async () => {
    await inNewBrowser('openid email orders:read', { resource: API.identifier });
    const wider = await inNewBrowser('openid email orders:read orders:write', { resource: API.identifier });
    const consent = wider.pages.find(isConsent)!;
    expect(consent).toBeTruthy();
    expect(consent).toContain('orders:write');
    expect(consent).not.toContain('orders:read');
    // And once allowed, neither is asked again.
    const again = await inNewBrowser('openid email orders:read orders:write', { resource: API.identifier });
    expect(again.pages.some(isConsent)).toBe(false);
  });

  it('prompt=consent still asks, even when the grant covers everything', async () => {
    const forced = await inNewBrowser('openid email', { prompt: 'consent' });
    expect(forced.pages.some(isConsent)).toBe(true);
  });

  it('revoking the app in /account makes the next browser ask again', async () => {
    await inNewBrowser('openid email');
    const [grantId] = await aliceGrantIds();
    const agent = new UserAgent(op.issuer);
    const html = await signInToAccount(agent, TEST_USER.username, TEST_USER.password);
    expect(html).toContain(`/account/apps/${grantId}/revoke`);
    const revoked = await post(agent, html, `/account/apps/${grantId}/revoke`, {});
    expect(revoked.html).toContain('The app no longer has access.');
    expect(await aliceGrantIds()).toEqual([]);
    const after = await inNewBrowser('openid email');
    expect(after.pages.some(isConsent)).toBe(true);
  });

  it('revoking the grant through the admin API makes the next browser ask again', async () => {
    await inNewBrowser('openid email');
    const [grantId] = await aliceGrantIds();
    expect(grantId).toBeTruthy();
    const api = await AdminApiClient.open(op.issuer);
    const writer = await adminTokenFor(op.issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
    const id = (await op.running.container.users.findByUsername(TEST_USER.username))!.id;
    expect((await api.call('DELETE', `/users/${id}/grants/${grantId}`, { token: writer })).status).toBe(204);
    const after = await inNewBrowser('openid email');
    expect(after.pages.some(isConsent)).toBe(true);
  });

  it("another user's grant for the client does not count", async () => {
    await inNewBrowser('openid email');
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email' });
    const { pages } = await authorize(new UserAgent(op.issuer), request.url, { login: 'root-admin', password: 'a long enough admin password' });
    expect(pages.some(isConsent)).toBe(true);
  });
});
