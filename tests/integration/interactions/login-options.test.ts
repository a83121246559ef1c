/**
 * Login options over HTTP: a changed argon2 parameter set upgrades the stored hash at the next
 * successful sign-in (and only then), `max_age` and `prompt=login` ask for the password again,
 * and the configured logo appears on the pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { discover } from '../../helpers/rp.js';
import { Flow, type RpConfig } from '../mfa/flow.js';

const LOGO = 'https://cdn.example.com/logo.svg';
let op: TestProvider;
let web: RpConfig;

beforeAll(async () => {
  op = await startTestProvider({ env: { BRAND_LOGO_URL: LOGO } });
  web = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
});
afterAll(async () => {
  await op?.stop();
});

async function storedHash(): Promise<string> {
  const user = (await op.running.container.users.findByLogin(TEST_USER.username))!;
  return (await op.running.container.credentials.findPassword(user.id))!.hash;
}

describe('login options', () => {
  it('shows the configured logo', async () => {
    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    const page = await flow.start();
    expect(page.html).toContain(`<img class="brand" src="${LOGO}" alt="127.0.0.1 logo">`);
  });

  it('rehashes the password with new argon2 parameters at the next successful sign-in only', async () => {
    const before = await storedHash();
    expect(before).toContain('t=2');
    await op.restart({ BRAND_LOGO_URL: LOGO, ARGON2_TIME_COST: '3' });
    web = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);

    const failed = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await failed.start();
    await failed.submit('/login', { login: TEST_USER.username, password: 'wrong password' });
    expect(await storedHash()).toBe(before);

    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await flow.start();
    await flow.submit('/login', { login: TEST_USER.username, password: TEST_USER.password });
    await flow.tokens();
    const after = await storedHash();
    expect(after).not.toBe(before);
    expect(after).toContain('t=3');
  });

  it('asks for the password again for prompt=login and for max_age=0, not otherwise', async () => {
    const flow = new Flow(op, web, WEB_CLIENT.redirect_uri);
    await flow.start();
    await flow.submit('/login', { login: TEST_USER.username, password: TEST_USER.password });
    const first = await flow.tokens();

    const silent = new Flow(op, web, WEB_CLIENT.redirect_uri, flow.agent);
    expect((await silent.start()).callback).toBeDefined();

    for (const params of [{ prompt: 'login' }, { max_age: '0' }] as Array<Record<string, string>>) {
      const again = new Flow(op, web, WEB_CLIENT.redirect_uri, flow.agent);
      const page = await again.start(params);
      expect(page.html).toContain('name="password"');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const typedAt = Math.floor(Date.now() / 1000);
      await again.submit('/login', { login: TEST_USER.username, password: TEST_USER.password });
      const { claims } = await again.tokens();
      expect(claims.sub).toBe(first.claims.sub);
      // With max_age the ID token carries auth_time (OIDC Core §3.1.2.1): the new sign-in's.
      if (params.max_age) expect(claims.auth_time).toBeGreaterThanOrEqual(typedAt);
    }
  });
});
