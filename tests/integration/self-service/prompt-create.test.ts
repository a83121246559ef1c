/**
 * `prompt=create` (OpenID Connect Prompt Create 1.0): with sign-up open it is advertised in
 * `prompt_values_supported` and opens the sign-up page, whose verified account continues the
 * authorization request signed in; with sign-up closed it is not advertised and the request is
 * refused with invalid_request (§4), as for any prompt value the provider does not support.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest, client } from '../../helpers/rp.js';
import { webClient } from '../protocol/support.js';
import { page, post, startWorld, type SelfServiceWorld } from './support.js';

const discovery = async (issuer: string) => (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { prompt_values_supported?: string[] };

describe('prompt=create with sign-up open', () => {
  let world: SelfServiceWorld;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('is advertised in prompt_values_supported', async () => {
    const { prompt_values_supported: values } = await discovery(world.op.issuer);
    expect(values).toEqual(expect.arrayContaining(['create', 'login', 'consent', 'none', 'select_account']));
  });

  it('opens sign-up; the verified account continues the authorization request (openid-client as RP)', async () => {
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email', prompt: 'create' });
    const agent = new UserAgent(world.op.issuer);
    const form = await page(agent, request.url.toString());
    expect(form.url.pathname).toBe('/account/register');
    const uid = form.url.searchParams.get('interaction')!;
    expect(uid).toBeTruthy();
    expect(form.html).toContain(`name="interaction" value="${uid}"`);

    const since = world.mailbox.count();
    const sent = await post(agent, form.html, '/account/register', { username: 'creator', email: 'creator@example.com', password: 'created through prompt create', interaction: uid });
    const { data } = await world.mailbox.waitFor('creator@example.com', 'verify-email', { since });
    const verified = await post(agent, sent.html, '/account/register/verify', { code: data.code! });
    // Back in the authorization request, signed in as the new account: the client's consent page.
    expect(verified.html).toContain('name="decision"');
    const { callback } = await authorize(agent, verified.url, undefined);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    const creator = await world.op.running.container.users.findByLogin('creator');
    expect(tokens.claims()?.sub).toBe(creator!.id);
  });

  it('asks sign-up even when the browser already has a session', async () => {
    const config = await webClient(world.op);
    const agent = new UserAgent(world.op.issuer);
    const first = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    await authorize(agent, first.url, { login: TEST_USER.username, password: TEST_USER.password });
    const again = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', prompt: 'create' });
    expect((await page(agent, again.url.toString())).url.pathname).toBe('/account/register');
  });

  it('prompt=create with prompt=none is invalid_request', async () => {
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', prompt: 'none create' });
    const response = await fetch(request.url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '', world.op.issuer);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('the registered step refuses a browser without the sign-up cookie: back to the interaction, not signed in', async () => {
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', prompt: 'create' });
    const agent = new UserAgent(world.op.issuer);
    const form = await page(agent, request.url.toString());
    const uid = form.url.searchParams.get('interaction')!;
    const skipped = await page(agent, `/interaction/${uid}/registered`);
    expect(skipped.url.pathname).toBe('/account/register');
  });
});

describe('prompt=create with sign-up closed', () => {
  let world: SelfServiceWorld;
  beforeAll(async () => {
    world = await startWorld({ SIGNUP_ENABLED: 'false' });
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('is not advertised and is refused with invalid_request at the client', async () => {
    const { prompt_values_supported: values } = await discovery(world.op.issuer);
    expect(values).not.toContain('create');
    expect(values).toEqual(expect.arrayContaining(['login', 'consent', 'none']));
    const config = await webClient(world.op);
    const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', prompt: 'create' });
    const response = await fetch(request.url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(WEB_CLIENT.redirect_uri);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/prompt/);
  });
});
