/**
 * The first start of an empty deployment (BOOTSTRAP_ADMIN, DEMO_CLIENTS, no seed): an admin with
 * a one-time password that works, demo clients, a banner whose authorization URL really works;
 * then a restart that changes nothing: no new password, the same keys, the same demo secret, and
 * tokens issued before it still valid. Keys and secrets are encrypted at rest.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startupBanner } from '../../../server/banner.js';
import { DEMO_API, DEMO_SPA_CLIENT_ID, DEMO_WEB_CLIENT_ID } from '../../../server/modules/bootstrap/index.js';
import type { FirstRunReport } from '../../../server/start.js';
import { authorize, UserAgent } from '../../helpers/browser.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover, pkcePair } from '../../helpers/rp.js';

const SPA_REDIRECT = 'http://localhost:5173/callback';
/** What the admin chooses at the first sign-in, replacing the one-time password. */
const ADMIN_PASSWORD = 'the admin chose this passphrase';

let op: TestProvider;
let first: FirstRunReport;
let banner: string;

beforeAll(async () => {
  op = await startTestProvider({ seed: false, env: { BOOTSTRAP_ADMIN: 'true', DEMO_CLIENTS: 'true' } });
  first = op.running.firstRun;
  banner = startupBanner(op.running.container.config, first, op.running.url);
});
afterAll(async () => {
  await op?.stop();
});

const oneTimeAdmin = () => ({ login: first.admin!.username, password: first.admin!.password });
const admin = () => ({ login: first.admin!.username, password: ADMIN_PASSWORD });
const demoWebSecret = () => first.demo!.clients.find((c) => c.clientId === DEMO_WEB_CLIENT_ID)!.generatedSecret!;

async function jwksKids(): Promise<string[]> {
  const { keys } = (await (await fetch(`${op.issuer}/jwks`)).json()) as { keys: Array<{ kid: string; d?: string }> };
  expect(keys.filter((k) => 'd' in k)).toEqual([]);
  return keys.map((k) => k.kid).sort();
}

function clientCredentials(secret: string) {
  return fetch(`${op.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${DEMO_WEB_CLIENT_ID}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

/** Tokens the admin obtained before the restart. */
let beforeRestart: { access: string; refresh: string; sub: string; kids: string[] };

describe('first start', () => {
  it('creates the admin with a one-time password, stored only as an argon2id hash', async () => {
    expect(first.admin).toEqual({ username: 'admin', password: expect.stringMatching(/^[\w-]{24,}$/) });
    const { users, credentials } = op.running.container;
    const user = (await users.findByUsername('admin'))!;
    const credential = (await credentials.findPassword(user.id))!;
    expect(credential.mustChange).toBe(true);
    expect(credential.hash).toMatch(/^\$argon2id\$/);
    expect(credential.hash).not.toContain(first.admin!.password);
  });

  it('registers the admin API at ISSUER/admin/v1 and gives the admin its role', async () => {
    const { users, seedDeps } = op.running.container;
    expect(await seedDeps.apis.find(`${op.issuer}/admin/v1`)).toMatchObject({ name: 'Admin API', scopes: [{ value: 'admin:read' }, { value: 'admin:write' }], accessTokenTtl: 600 });
    const user = (await users.findByUsername('admin'))!;
    expect(await seedDeps.roles.roleNamesOf(user.id)).toEqual(['admin']);
    expect(await seedDeps.roles.grantedScopes(user.id, `${op.issuer}/admin/v1`)).toEqual(expect.arrayContaining(['admin:read', 'admin:write']));
  });

  it('creates the demo clients and API', async () => {
    expect(first.demo!.clients).toEqual([
      { clientId: DEMO_WEB_CLIENT_ID, created: true, generatedSecret: expect.stringMatching(/^[\w-]{40,}$/) },
      { clientId: DEMO_SPA_CLIENT_ID, created: true },
    ]);
    expect(first.demo!.apis).toEqual([DEMO_API]);
    expect(first.seed).toBeUndefined();
    const provider = op.running.container.provider();
    expect((await provider.Client.find(DEMO_SPA_CLIENT_ID))?.clientAuthMethod).toBe('none');
    expect((await provider.Client.find(DEMO_WEB_CLIENT_ID))?.clientAuthMethod).toBe('client_secret_basic');
    expect(await op.running.container.seedDeps.apis.find(DEMO_API)).toMatchObject({ name: 'Demo API' });
    const response = await clientCredentials(demoWebSecret());
    expect(response.status).toBe(200);
  });

  it('lets the admin sign in to the demo SPA with PKCE, choosing a password in place of the one-time one', async () => {
    const config = await discover(op.issuer, DEMO_SPA_CLIENT_ID);
    const { verifier, challenge } = await pkcePair();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: SPA_REDIRECT,
      scope: 'openid profile offline_access',
      prompt: 'consent',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
    });
    const { callback } = await authorize(new UserAgent(op.issuer), url, oneTimeAdmin(), { newPassword: ADMIN_PASSWORD });
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    const claims = tokens.claims()!;
    const adminUser = (await op.running.container.users.findByUsername('admin'))!;
    expect(claims.sub).toBe(adminUser.id);
    expect(claims.aud).toBe(DEMO_SPA_CLIENT_ID);
    expect(await client.fetchUserInfo(config, tokens.access_token, claims.sub)).toMatchObject({ preferred_username: 'admin', name: 'Administrator' });
    expect(tokens.refresh_token).toBeTruthy();
    beforeRestart = { access: tokens.access_token, refresh: tokens.refresh_token!, sub: claims.sub, kids: await jwksKids() };
  });

  it('prints a banner with the password, the demo secret and an authorization URL that works as printed', async () => {
    expect(banner).toContain(`password: ${first.admin!.password}`);
    expect(banner).toContain(`client_secret ${demoWebSecret()}`);
    const urls = [...banner.matchAll(/(http:\/\/\S+\/auth\?\S+)/g)].map((m) => new URL(m[1]!));
    const spa = urls.find((u) => u.searchParams.get('client_id') === DEMO_SPA_CLIENT_ID)!;
    expect(urls.some((u) => u.searchParams.get('client_id') === DEMO_WEB_CLIENT_ID)).toBe(true);
    expect(spa.origin).toBe(op.issuer);
    expect(spa.searchParams.get('code_challenge_method')).toBe('S256');
    expect(spa.searchParams.get('redirect_uri')).toBe(SPA_REDIRECT);
    const verifier = banner.match(new RegExp(`client_id=${DEMO_SPA_CLIENT_ID}[^\\n]*\\n[^\\n]*code_verifier=(\\S+)`))?.[1];
    expect(verifier).toBeTruthy();
    expect(createHash('sha256').update(verifier!).digest('base64url')).toBe(spa.searchParams.get('code_challenge'));

    // Follow the printed URL as a person would (signing in with the password now chosen), then
    // run the printed exchange.
    const { callback } = await authorize(new UserAgent(op.issuer), spa, admin());
    expect(callback.origin + callback.pathname).toBe(SPA_REDIRECT);
    const response = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: DEMO_SPA_CLIENT_ID,
        redirect_uri: SPA_REDIRECT,
        code_verifier: verifier!,
        code: callback.searchParams.get('code')!,
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Record<string, unknown>).id_token).toBeTruthy();

    // The deadline it gives for the exchange is the configured code lifetime.
    const { config } = op.running.container;
    expect(banner).toContain(`within ${config.ttl.authorizationCode} s`);
    expect(startupBanner({ ...config, ttl: { ...config.ttl, authorizationCode: 300 } }, first, op.running.url)).toContain('within 300 s');
  });

  it('never logs the one-time password or the generated secret', () => {
    expect(op.logs.filter((line) => line.includes(first.admin!.password) || line.includes(demoWebSecret()))).toEqual([]);
  });
});

describe('restart', () => {
  let again: FirstRunReport;
  beforeAll(async () => {
    expect(beforeRestart).toBeDefined();
    await op.restart();
    again = op.running.firstRun;
  });

  it('creates no new admin and prints no password', () => {
    expect(again.admin).toBeUndefined();
    const text = startupBanner(op.running.container.config, again, op.running.url);
    expect(text).not.toContain('password');
    expect(text).not.toContain(first.admin!.password);
    expect(text).not.toContain(demoWebSecret());
  });

  it('keeps the demo clients and demo-web’s secret', async () => {
    expect(again.demo!.clients).toEqual([
      { clientId: DEMO_WEB_CLIENT_ID, created: false },
      { clientId: DEMO_SPA_CLIENT_ID, created: false },
    ]);
    expect((await clientCredentials(demoWebSecret())).status).toBe(200);
    expect((await clientCredentials('some-other-secret-that-is-long-enough-00')).status).toBe(401);
  });

  it('publishes the same signing keys', async () => {
    expect(await jwksKids()).toEqual(beforeRestart.kids);
  });

  it('honours the access and refresh tokens issued before it', async () => {
    const config = await discover(op.issuer, DEMO_SPA_CLIENT_ID);
    expect(await client.fetchUserInfo(config, beforeRestart.access, beforeRestart.sub)).toMatchObject({ sub: beforeRestart.sub });
    const refreshed = await client.refreshTokenGrant(config, beforeRestart.refresh);
    expect(refreshed.claims()?.sub).toBe(beforeRestart.sub);
    expect(refreshed.refresh_token).not.toBe(beforeRestart.refresh);
  });
});

describe('secrets at rest', () => {
  it('stores private signing keys encrypted: no private JWK member appears in the row', async () => {
    const { knex } = op.running.container.database;
    const rows = (await knex('signing_keys').select('kid', 'public_jwk', 'private_jwk_ciphertext')) as Array<{
      kid: string;
      public_jwk: Record<string, unknown>;
      private_jwk_ciphertext: string;
    }>;
    const decrypted = new Map((await op.running.container.keys.keys.list()).map((k) => [k.kid, k.privateJwk]));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      const jwk = decrypted.get(row.kid)!;
      expect(typeof jwk.d).toBe('string');
      expect(row.private_jwk_ciphertext).toMatch(/^v1\./);
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
        if (typeof jwk[member] === 'string') expect(row.private_jwk_ciphertext).not.toContain(jwk[member] as string);
      }
      expect(row.public_jwk).not.toHaveProperty('d');
    }
  });

  it('stores client secrets encrypted', async () => {
    const { knex } = op.running.container.database;
    const web = await knex('clients').where({ client_id: DEMO_WEB_CLIENT_ID }).first();
    expect(web.secret_ciphertext).toMatch(/^v1\./);
    expect(web.secret_ciphertext).not.toContain(demoWebSecret());
    expect(JSON.stringify(web.metadata)).not.toContain(demoWebSecret());
    const spa = await knex('clients').where({ client_id: DEMO_SPA_CLIENT_ID }).first();
    expect(spa.secret_ciphertext).toBeNull();
  });
});
