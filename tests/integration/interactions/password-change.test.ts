import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider({ env: { BOOTSTRAP_ADMIN: 'true', DEMO_CLIENTS: 'true' } });
});
afterAll(async () => {
  await op?.stop();
});

async function authorizationUrl() {
  const config = await discover(op.issuer, 'demo-spa');
  return { config, ...(await authorizationRequest(config, { redirect_uri: 'http://localhost:5173/callback', scope: 'openid profile' })) };
}

async function reachPasswordChange(agent: UserAgent, password: string) {
  const { url } = await authorizationUrl();
  const { response } = await agent.follow(url);
  const login = await response.text();
  const { response: afterLogin } = await agent.submit(formAction(login, '/interaction/'), { csrf: csrfOf(login), login: 'admin', password });
  return afterLogin;
}

describe('one-time admin password', () => {
  it('must be replaced at first sign-in; the new password is checked against the policy', async () => {
    const admin = op.running.firstRun.admin!;
    expect(admin.password.length).toBeGreaterThanOrEqual(20);
    const agent = new UserAgent(op.issuer);
    const page = await reachPasswordChange(agent, admin.password);
    const html = await page.text();
    expect(html).toContain('Choose a new password');

    const tooShort = await agent.submit(formAction(html, '/interaction/'), { csrf: csrfOf(html), password: 'short', confirm: 'short' });
    expect(tooShort.response.status).toBe(400);
    const retry = await tooShort.response.text();
    expect(retry).toContain('Use at least 12 characters.');

    const reused = await agent.submit(formAction(retry, '/interaction/'), { csrf: csrfOf(retry), password: admin.password, confirm: admin.password });
    expect(reused.response.status).toBe(400);
    const again = await reused.response.text();
    expect(again).toContain('different from the one-time password');

    const mismatch = await agent.submit(formAction(again, '/interaction/'), { csrf: csrfOf(again), password: 'a brand new passphrase', confirm: 'another passphrase' });
    expect(await mismatch.response.text()).toContain('do not match');
  });

  it('completes the sign-in after the change, and the new password works from then on', async () => {
    const admin = op.running.firstRun.admin!;
    const newPassword = 'my own admin passphrase 2026';
    const first = await authorizationUrl();
    const { callback } = await authorize(new UserAgent(op.issuer), first.url, { login: 'admin', password: admin.password }, { newPassword });
    const tokens = await client.authorizationCodeGrant(first.config, callback, { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
    expect(tokens.claims()?.amr).toEqual(['pwd']);

    const second = await authorizationUrl();
    const { callback: again } = await authorize(new UserAgent(op.issuer), second.url, { login: 'admin', password: newPassword });
    expect(again.searchParams.get('code')).toBeTruthy();
    const old = await authorizationUrl();
    await expect(authorize(new UserAgent(op.issuer), old.url, { login: 'admin', password: admin.password })).rejects.toThrow('login refused: Invalid username or password.');
  });

  it('cannot be posted without the pending-change cookie of this interaction', async () => {
    const agent = new UserAgent(op.issuer);
    const { url } = await authorizationUrl();
    const { response, url: loginUrl } = await agent.follow(url);
    const html = await response.text();
    const uid = loginUrl.pathname.split('/')[2];
    const forged = await agent.submit(`/interaction/${uid}/password`, { csrf: csrfOf(html), password: 'attacker chosen password', confirm: 'attacker chosen password' });
    // Without a verified password the form is not armed: back to the login step, nothing changed.
    expect(forged.response.status).toBe(200);
    expect(await forged.response.text()).toContain('name="password"');
  });
});
