/**
 * Fault injection: the provider reaches Postgres and Redis through TCP proxies this test cuts
 * and restores mid-traffic. While a store is cut every request that needs it answers 503 with
 * Retry-After (OAuth `temporarily_unavailable` at protocol endpoints, problem+json on the admin
 * API, the error redirect at the authorization endpoint), Redis failures surface within
 * REDIS_COMMAND_TIMEOUT, and each outage is one log line down and one back. Once restored,
 * requests succeed again within seconds and nothing durable was lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, SECRET, adminSeed } from '../admin/context.js';
import { adminTokenFor } from '../../helpers/admin-api.js';
import { SERVICE_CLIENT, WEB_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { authorizationRequest } from '../../helpers/rp.js';
import { createTestDatabase, postgresUrl, redisUrl, type TestDatabase } from '../../helpers/stores.js';
import { startTcpProxy, throughProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';
import { basic, postForm, signIn, webClient, type RpConfig } from '../protocol/support.js';

const RETRY_AFTER = '7';
const COMMAND_TIMEOUT_MS = 400;

let db: TestDatabase;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let op: TestProvider;
let web: RpConfig;

beforeAll(async () => {
  if (!postgresUrl || !redisUrl) return;
  const pg = new URL(postgresUrl);
  const redis = new URL(redisUrl);
  pgProxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
  db = await createTestDatabase('postgres');
  op = await startTestProvider({
    seed: adminSeed(),
    database: { ...db, url: throughProxy(db.url!, pgProxy) },
    env: {
      REDIS_URL: throughProxy(redisUrl, redisProxy),
      REDIS_COMMAND_TIMEOUT: String(COMMAND_TIMEOUT_MS),
      OUTAGE_RETRY_AFTER: RETRY_AFTER,
      ADMIN_API_AUDIENCE: AUDIENCE,
      KEY_ROTATION_OVERLAP: '7200',
    },
  });
  web = await webClient(op);
}, 60_000);

afterAll(async () => {
  pgProxy?.restore();
  redisProxy?.restore();
  await op?.stop();
  await db?.drop();
  await pgProxy?.close();
  await redisProxy?.close();
});

const serviceToken = () => postForm(`${op.issuer}/token`, { grant_type: 'client_credentials' }, { authorization: basic(SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret) });
const refresh = (token: string) => postForm(`${op.issuer}/token`, { grant_type: 'refresh_token', refresh_token: token }, { authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });

/** Polls `attempt` until it reports success; @returns how long that took. */
async function healsWithin(ms: number, attempt: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await attempt()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not healed within ${ms} ms`);
}

const countLogs = (message: string) => op.logs.filter((line) => (JSON.parse(line) as { msg?: string }).msg === message).length;

describe.skipIf(!postgresUrl || !redisUrl)('store outages (fault injection through a TCP proxy)', () => {
  it('Redis cut: 503 temporarily_unavailable within the command timeout, one log line each way, then 200 again', async () => {
    const { tokens } = await signIn(op, web, { scope: 'openid offline_access', prompt: 'consent' });
    expect((await serviceToken()).status).toBe(200);
    const downBefore = countLogs('redis unavailable') + countLogs('redis connection lost');

    redisProxy.cut();
    for (let i = 0; i < 5; i += 1) {
      const started = Date.now();
      const answer = await serviceToken();
      expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 1500);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe(RETRY_AFTER);
      expect(answer.body).toMatchObject({ error: 'temporarily_unavailable' });
      expect(JSON.stringify(answer.body)).not.toMatch(/server_error|ECONN|at \//);
    }
    // The authorization endpoint answers with the RFC 6749 §4.1.2.1 error redirect (interactions live in Redis).
    const { url, state } = await authorizationRequest(web, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid' });
    const authorization = await fetch(url, { redirect: 'manual' });
    expect(authorization.status).toBe(303);
    const callback = new URL(authorization.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(WEB_CLIENT.redirect_uri);
    expect(callback.searchParams.get('error')).toBe('temporarily_unavailable');
    expect(callback.searchParams.get('state')).toBe(state);
    expect(countLogs('redis unavailable') + countLogs('redis connection lost') - downBefore).toBe(1);

    redisProxy.restore();
    await healsWithin(10_000, async () => (await serviceToken()).status === 200);
    await healsWithin(5_000, async () => countLogs('redis available again') >= 1);
    // Durable state (the refresh token in Postgres) survived; no ioredis stack reached the log.
    const refreshed = await refresh(tokens.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(op.logs.some((line) => line.includes('Unhandled error event') || line.includes('    at '))).toBe(false);
  });

  it('Postgres cut: 503 on the token endpoint and the admin API with Retry-After, then 200 again with nothing lost', async () => {
    const { tokens } = await signIn(op, web, { scope: 'openid offline_access', prompt: 'consent' });
    const admin = await adminTokenFor(op.issuer, AUDIENCE, 'admin-reader', SECRET, 'admin:read');
    const clientsBefore = await fetch(`${op.issuer}/admin/v1/clients`, { headers: { authorization: `Bearer ${admin}` } });
    expect(clientsBefore.status).toBe(200);

    pgProxy.cut();
    const refreshed = await refresh(tokens.refresh_token!);
    expect(refreshed.status).toBe(503);
    expect(refreshed.headers.get('retry-after')).toBe(RETRY_AFTER);
    expect(refreshed.body).toMatchObject({ error: 'temporarily_unavailable' });
    const list = await fetch(`${op.issuer}/admin/v1/clients`, { headers: { authorization: `Bearer ${admin}` } });
    expect(list.status).toBe(503);
    expect(list.headers.get('retry-after')).toBe(RETRY_AFTER);
    expect(list.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await list.json()).toMatchObject({ status: 503, code: 'temporarily_unavailable' });
    const ready = await fetch(`${op.issuer}/readyz`);
    expect(ready.status).toBe(503);

    pgProxy.restore();
    await healsWithin(15_000, async () => (await fetch(`${op.issuer}/admin/v1/clients`, { headers: { authorization: `Bearer ${admin}` } })).status === 200);
    // The refresh token refused during the outage was not consumed: it still works, once.
    const after = await refresh(tokens.refresh_token!);
    expect(after.status).toBe(200);
    expect(await op.running.container.compliance.trail.flush().then(() => op.running.container.compliance.verify())).toMatchObject({ ok: true });
  });
});
