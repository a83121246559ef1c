/**
 * Federation and our MFA policy: after an upstream sign-in our policy still applies (a client
 * with mfa_policy required gets our second factor), unless the upstream's ID token says `mfa`
 * and FEDERATION_TRUST_UPSTREAM_MFA trusts it — then the acr is the MFA level.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { MFA_CLIENT, mfaSeed } from '../../helpers/mfa.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';
import { startUpstreamIssuer, type UpstreamIssuer } from '../../helpers/upstream-issuer.js';

let upstream: UpstreamIssuer;
let op: TestProvider;

beforeAll(async () => {
  upstream = await startUpstreamIssuer();
  op = await startTestProvider({
    seed: mfaSeed(),
    env: { ...upstream.googleEnv(), FEDERATION_AUTO_REGISTER: 'true', FEDERATION_TRUST_UPSTREAM_MFA: 'true' },
  });
  await upstream.register(`${op.issuer}/federation/callback`);
});
afterAll(async () => {
  await op?.stop();
  await upstream?.stop();
});

async function signInWithGoogle() {
  const config = await discover(op.issuer, MFA_CLIENT.client_id, MFA_CLIENT.client_secret);
  const request = await authorizationRequest(config, { redirect_uri: MFA_CLIENT.redirect_uri, scope: 'openid' });
  const agent = new UserAgent(op.issuer);
  const html = await (await agent.follow(request.url)).response.text();
  const href = /href="(\/interaction\/[^"]+\/federation\/google)"/.exec(html)![1]!;
  const atGoogle = await agent.follow(href);
  const back = await new UserAgent(upstream.issuer).follow(atGoogle.url);
  return { config, request, agent, callback: back.url };
}

describe('federation and the MFA policy', () => {
  it('accepts the upstream MFA when trusted: amr fed + mfa, acr MFA, no second factor asked', async () => {
    upstream.next = { sub: 'mfa-at-google', email: 'strong@gmail.example', email_verified: true, amr: ['pwd', 'otp', 'mfa'] };
    const flow = await signInWithGoogle();
    const done = await authorize(flow.agent, flow.callback, undefined);
    const tokens = await client.authorizationCodeGrant(flow.config, done.callback, {
      pkceCodeVerifier: flow.request.verifier, expectedState: flow.request.state, expectedNonce: flow.request.nonce,
    });
    expect(tokens.claims()).toMatchObject({ amr: ['fed', 'mfa'], acr: 'urn:oidc-server:acr:mfa' });
  });

  it('still applies our MFA policy when the upstream did not use MFA', async () => {
    upstream.next = { sub: 'pwd-at-google', email: 'weak@gmail.example', email_verified: true, amr: ['pwd'] };
    const flow = await signInWithGoogle();
    const next = await flow.agent.follow(flow.callback);
    // A new account without factors must enrol one before the client that requires MFA gets a code.
    expect(next.url.origin).toBe(op.issuer);
    expect(next.url.pathname).toMatch(/\/mfa\/enrol$/);
    expect(next.response.status).toBe(200);
  });
});
