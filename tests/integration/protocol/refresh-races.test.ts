/**
 * Refresh token races (REFRESH_TOKEN_REUSE_WINDOW, server/oidc/refresh-reuse.ts): within the
 * window, the same client presenting a just-rotated refresh token again gets the same successor
 * tokens and the grant stays alive; after the window, once the successor was used, or with the
 * window off, reuse revokes the grant as before. Also across two providers on one database.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { createTestDatabase, describeWith, type TestDatabase } from '../../helpers/stores.js';
import { expectOAuthError, introspect, postForm, signIn, webClient, webClientAuth, type RpConfig } from './support.js';

const RACERS = 8;

function refreshAt(base: string, refreshToken: string) {
  return postForm(`${base}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken }, webClientAuth());
}

async function offlineTokens(op: TestProvider, config: RpConfig) {
  const { tokens } = await signIn(op, config, { scope: 'openid email offline_access', prompt: 'consent' });
  return tokens;
}

/** Waits until `seconds` whole seconds have passed on the provider's clock since now (the window is counted in seconds). */
const outlast = (seconds: number) => new Promise((resolve) => setTimeout(resolve, (seconds + 1.5) * 1000));

describe('refresh token reuse window (default 5 s)', () => {
  let op: TestProvider;
  let config: RpConfig;
  beforeAll(async () => {
    op = await startTestProvider();
    config = await webClient(op);
  });
  afterAll(async () => {
    await op?.stop();
  });

  it(`${RACERS} concurrent refreshes of one token all succeed with one successor, and the grant stays alive`, async () => {
    const tokens = await offlineTokens(op, config);
    const results = await Promise.all(Array.from({ length: RACERS }, () => refreshAt(op.issuer, tokens.refresh_token!)));
    for (const result of results) expect(result, JSON.stringify(result.body)).toMatchObject({ status: 200 });
    const successors = new Set(results.map((r) => r.body.refresh_token));
    const accessTokens = new Set(results.map((r) => r.body.access_token));
    expect(successors.size).toBe(1);
    expect(accessTokens.size).toBe(1);
    const [successor] = [...successors] as string[];
    expect(successor).not.toBe(tokens.refresh_token);
    expect(results[0]!.headers.get('cache-control')).toContain('no-store');
    // The one successor is live, and so is the grant: it refreshes again (openid-client as the RP).
    expect(await introspect(op, String(results[0]!.body.access_token))).toMatchObject({ active: true });
    const next = await client.refreshTokenGrant(config, successor!);
    expect(next.refresh_token).toBeTruthy();
    expect(await introspect(op, next.access_token)).toMatchObject({ active: true });
  });

  it('a client repeating a refresh whose answer it lost gets the same answer back', async () => {
    const tokens = await offlineTokens(op, config);
    const first = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const repeated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(repeated.refresh_token).toBe(first.refresh_token);
    expect(repeated.access_token).toBe(first.access_token);
    expect(repeated.id_token).toBe(first.id_token);
    expect(await introspect(op, first.refresh_token!)).toMatchObject({ active: true });
  });

  it('reuse after the successor was used revokes the grant', async () => {
    const tokens = await offlineTokens(op, config);
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const third = await client.refreshTokenGrant(config, rotated.refresh_token!);
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant', 400);
    // Everything issued under the grant is gone, the newest tokens too.
    expect(await introspect(op, third.refresh_token!)).toEqual({ active: false });
    expect(await introspect(op, third.access_token)).toEqual({ active: false });
    await expectOAuthError(client.refreshTokenGrant(config, third.refresh_token!), 'invalid_grant', 400);
  });

  it('a repeat asking a different scope is not a repeat: reuse, the grant is revoked', async () => {
    const tokens = await offlineTokens(op, config);
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid' }), 'invalid_grant', 400);
    expect(await introspect(op, rotated.refresh_token!)).toEqual({ active: false });
  });

  it('another client presenting the rotated token gets invalid_grant and not the successor', async () => {
    const tokens = await offlineTokens(op, config);
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    const spa = await discover(op.issuer, SPA_CLIENT.client_id);
    const failure = await expectOAuthError(client.refreshTokenGrant(spa, tokens.refresh_token!), 'invalid_grant', 400);
    expect(JSON.stringify(failure)).not.toContain(rotated.refresh_token!);
    // As before this change, a client mismatch is refused without touching the owner's grant.
    expect(await introspect(op, rotated.refresh_token!)).toMatchObject({ active: true });
  });

  it('a refresh token that was never issued is invalid_grant', async () => {
    const result = await refreshAt(op.issuer, 'not-a-refresh-token');
    expect(result).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});

describe('refresh token reuse window of 1 s', () => {
  let op: TestProvider;
  let config: RpConfig;
  beforeAll(async () => {
    op = await startTestProvider({ env: { REFRESH_TOKEN_REUSE_WINDOW: '1' } });
    config = await webClient(op);
  });
  afterAll(async () => {
    await op?.stop();
  });

  it('reuse after the window revokes the grant', async () => {
    const tokens = await offlineTokens(op, config);
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    await outlast(1);
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant', 400);
    expect(await introspect(op, rotated.refresh_token!)).toEqual({ active: false });
    expect(await introspect(op, rotated.access_token)).toEqual({ active: false });
  });
});

describe('REFRESH_TOKEN_REUSE_WINDOW=0', () => {
  let op: TestProvider;
  let config: RpConfig;
  beforeAll(async () => {
    op = await startTestProvider({ env: { REFRESH_TOKEN_REUSE_WINDOW: '0' } });
    config = await webClient(op);
  });
  afterAll(async () => {
    await op?.stop();
  });

  it('switches the window off: an immediate repeat revokes the grant', async () => {
    const tokens = await offlineTokens(op, config);
    const rotated = await client.refreshTokenGrant(config, tokens.refresh_token!);
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant', 400);
    expect(await introspect(op, rotated.refresh_token!)).toEqual({ active: false });
  });

  it('a window above 60 s is refused at startup, naming the variable', async () => {
    await expect(startTestProvider({ env: { REFRESH_TOKEN_REUSE_WINDOW: '61' } })).rejects.toThrow(/REFRESH_TOKEN_REUSE_WINDOW/);
  });
});

describeWith('postgres', 'redis')('refresh races across two providers on one database', () => {
  let db: TestDatabase;
  let a: TestProvider;
  let b: TestProvider;
  let config: RpConfig;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const shared = {
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      COOKIE_KEYS: randomBytes(32).toString('base64url'),
      REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    };
    a = await startTestProvider({ database: db, env: shared });
    b = await startTestProvider({ database: db, seed: false, env: { ...shared, ISSUER: a.issuer } });
    config = await webClient(a);
  }, 60_000);
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await db?.drop();
  });

  it(`${RACERS} concurrent refreshes split over both providers get one successor`, async () => {
    const tokens = await offlineTokens(a, config);
    const bases = [a.issuer, b.running.url.replace(/\/$/, '')];
    const results = await Promise.all(Array.from({ length: RACERS }, (_, i) => refreshAt(bases[i % 2]!, tokens.refresh_token!)));
    for (const result of results) expect(result, JSON.stringify(result.body)).toMatchObject({ status: 200 });
    expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
    const successor = String(results[0]!.body.refresh_token);
    expect(await introspect(b, successor)).toMatchObject({ active: true });
    // The successor used at B, a repeat of the old token at A revokes the grant.
    const next = await refreshAt(bases[1]!, successor);
    expect(next.status).toBe(200);
    expect((await refreshAt(a.issuer, tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect(await introspect(a, String(next.body.refresh_token))).toEqual({ active: false });
  });
});
