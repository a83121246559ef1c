/**
 * RFC 8628 with openid-client as the device: device authorization, the user's approval on our
 * pages, polling to tokens; and its failures: slow_down for fast polling, wrong and expired user
 * codes, a user who cancels, an expired device code, a client without the grant, a resume
 * without its cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { auditRecords } from '../../helpers/audit.js';
import { startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { basic, postForm } from '../protocol/support.js';
import { approveDevice, DEVICE_GRANT, deviceSeed, enterCode, TV_CLIENT } from './support.js';

let op: TestProvider;

beforeAll(async () => {
  op = await startTestProvider({ seed: deviceSeed(), env: { DEVICE_POLL_INTERVAL: '1' } });
}, 60_000);
afterAll(async () => op?.stop());

const tv = () => discover(op.issuer, TV_CLIENT.client_id);

describe('device authorization grant', () => {
  it('a device signs in: user code entered, confirmed, signed in, consented; polling yields tokens', async () => {
    const config = await tv();
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
    expect(authorization.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(authorization.verification_uri).toBe(`${op.issuer}/device`);
    expect(authorization.verification_uri_complete).toBe(`${op.issuer}/device?user_code=${authorization.user_code}`);
    expect(authorization.interval).toBe(1);
    expect(authorization.expires_in).toBeGreaterThan(0);

    const polling = client.pollDeviceAuthorizationGrant(config, authorization);
    const approved = await approveDevice(new UserAgent(op.issuer), op.issuer, authorization.user_code);
    expect(approved.pages[0]).toContain('Connect Living Room TV?');
    expect(approved.pages[0]).toContain(authorization.user_code);
    expect(approved.html).toContain('Living Room TV is now signed in on your device.');

    const tokens = await polling;
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.claims()?.sub).toBeTruthy();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(userinfo.name).toBe('Alice Liddell');

    const audited = await auditRecords(op, 'oidc.device.authorization');
    expect(audited.some((r) => r.clientId === TV_CLIENT.client_id)).toBe(true);
    const granted = await auditRecords(op, 'oidc.grant.success');
    expect(granted.some((r) => r.details?.grantType === DEVICE_GRANT)).toBe(true);
  }, 60_000);

  it('polling faster than the interval is answered slow_down; before approval authorization_pending', async () => {
    const config = await tv();
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    const poll = () => postForm(`${op.issuer}/token`, { grant_type: DEVICE_GRANT, device_code: authorization.device_code, client_id: TV_CLIENT.client_id });
    // Two polls at once fall in one interval: one is pending, the other told to slow down.
    const answers = await Promise.all([poll(), poll(), poll()]);
    const errors = answers.map((a) => a.body.error).sort();
    expect(errors).toContain('authorization_pending');
    expect(errors).toContain('slow_down');
    for (const answer of answers) expect(answer.status).toBe(400);
  });

  it('a wrong user code re-renders the code page with an error, audited', async () => {
    const page = await enterCode(new UserAgent(op.issuer), op.issuer, 'BCDF-GHJK');
    expect(page.status).toBe(200);
    expect(page.html).toContain('This code is not valid.');
    expect(page.html).toContain('aria-invalid="true"');
    expect((await auditRecords(op, 'oidc.device.user_code_rejected')).length).toBeGreaterThan(0);
  });

  it('a user who cancels denies the device: polling ends with access_denied', async () => {
    const config = await tv();
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    const aborted = await approveDevice(new UserAgent(op.issuer), op.issuer, authorization.user_code, 'abort');
    expect(aborted.html).toContain('You cancelled the sign-in.');
    await expect(client.pollDeviceAuthorizationGrant(config, authorization)).rejects.toMatchObject({ error: 'access_denied' });
    // The code is spent: entering it again says so.
    const again = await enterCode(new UserAgent(op.issuer), op.issuer, authorization.user_code);
    expect(again.html).toContain('This code has already been used.');
  }, 30_000);

  it('a client without the device grant is refused at the device endpoint', async () => {
    const answer = await postForm(`${op.issuer}/device/auth`, { client_id: WEB_CLIENT.client_id, scope: 'openid' }, { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });
    expect(answer.status).toBe(400);
    // oidc-provider's answer (RFC 6749 §5.2 would also allow unauthorized_client).
    expect(answer.body).toEqual({ error: 'invalid_request', error_description: `${DEVICE_GRANT} is not allowed for this client` });
  });

  it('hostile input at the device endpoints is a 4xx, never a 500', async () => {
    for (const userCode of ['\u0000', '\uD800', 'x'.repeat(10_000)]) {
      const page = await enterCode(new UserAgent(op.issuer), op.issuer, userCode);
      expect(page.status).toBeLessThan(500);
    }
    const nul = await postForm(`${op.issuer}/token`, { grant_type: DEVICE_GRANT, device_code: '\u0000', client_id: TV_CLIENT.client_id });
    expect(nul.status).toBe(400);
    const auth = await postForm(`${op.issuer}/device/auth`, { client_id: TV_CLIENT.client_id, scope: '\uD800' });
    expect(auth.status).toBeLessThan(500);
  });

  it('the code pages without their session cookie (a stale form, a guessed /device/:uid) answer the code page with a 400, never a 500', async () => {
    const bare = [
      () => fetch(`${op.issuer}/device/no-such-uid`, { headers: { accept: 'text/html' } }),
      () => fetch(`${op.issuer}/device/auth`, { headers: { accept: 'text/html' } }),
      () => fetch(`${op.issuer}/device`, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: 'xsrf=stale&user_code=BCDF-GHJK' }),
    ];
    for (const request of bare) {
      const response = await request();
      expect(response.status, response.url).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('name="user_code"');
    }
    // The page's form works: it came with a session, so the code entered is looked up.
    const agent = new UserAgent(op.issuer);
    const { response } = await agent.follow('/device/no-such-uid');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(await response.text())![1]!;
    const again = await agent.submit('/device', { xsrf, user_code: 'BCDF-GHJK' });
    const html = await again.response.text();
    expect(again.response.status).toBeLessThan(500);
    expect(html).toContain('name="user_code"');
    expect(html).not.toContain('could not find device form details');
  });

  it('an expired device code: polling says expired_token, the code page says expired', async () => {
    await op.restart({ DEVICE_CODE_TTL: '1', DEVICE_POLL_INTERVAL: '1' });
    const config = await tv();
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'openid' });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const poll = await postForm(`${op.issuer}/token`, { grant_type: DEVICE_GRANT, device_code: authorization.device_code, client_id: TV_CLIENT.client_id });
    expect(poll.body.error).toBe('expired_token');
    const page = await enterCode(new UserAgent(op.issuer), op.issuer, authorization.user_code);
    expect(page.html).toContain('This code has expired.');
  }, 60_000);
});
