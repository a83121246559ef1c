/**
 * OTEL_EXPORTER_OTLP_ENDPOINT: the built provider, as a child process, exports its spans as
 * OTLP/HTTP JSON to a receiver inside this test. A token request and a sign-in each make one
 * trace holding the HTTP request and the Redis commands (and, for the sign-in, Postgres queries
 * and the argon2 verification), and a log line of the request names that trace. A webhook the
 * outbox worker posts to a receiver in this test is a trace of its own (`outbox.deliver`) holding
 * the outbound HTTP client span to the receiver, and the delivery's log line names that trace.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AUDIENCE, SECRET, adminSeed } from '../admin/context.js';
import { adminTokenFor } from '../../helpers/admin-api.js';
import { authorize, csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { buildOnce } from '../../helpers/cli.js';
import { freePort, SERVICE_CLIENT, TEST_USER, WEB_CLIENT } from '../../helpers/provider.js';
import { authorizationRequest, client, discover } from '../../helpers/rp.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';
import { createTestDatabase, describeWith, redisUrl, type TestDatabase } from '../../helpers/stores.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

interface ReceivedSpan {
  traceId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

const spans: ReceivedSpan[] = [];
let receiver: Server;
let endpoint = '';
let database: TestDatabase;
let server: ServerProcess;
let issuer = '';
let webhooks: WebhookReceiver;

function collect(body: string): void {
  const document = JSON.parse(body) as {
    resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; name: string; kind: number; attributes?: Array<{ key: string; value: Record<string, unknown> }> }> }> }>;
  };
  for (const resource of document.resourceSpans) {
    for (const scope of resource.scopeSpans) {
      for (const span of scope.spans) {
        const attributes = Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
        spans.push({ traceId: span.traceId, name: span.name, kind: span.kind, attributes });
      }
    }
  }
}

const SERVER_KIND = 2;
const CLIENT_KIND = 3;
const isRequest = (path: string) => (s: ReceivedSpan) => s.kind === SERVER_KIND && String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').startsWith(path);
const dbSystem = (s: ReceivedSpan) => String(s.attributes['db.system.name'] ?? s.attributes['db.system'] ?? '');

/** The spans of one trace, once the batch exporter has sent them (it flushes every few seconds). */
async function traceOf(match: (s: ReceivedSpan) => boolean, complete: (trace: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  for (let i = 0; i < 300; i++) {
    const root = spans.find(match);
    const trace = root ? spans.filter((s) => s.traceId === root.traceId) : [];
    if (root && complete(trace)) return trace;
    await sleep(200);
  }
  throw new Error(`no complete trace; received: ${JSON.stringify(spans.map((s) => [s.name, s.traceId]))}`);
}

describeWith('postgres', 'redis')('OpenTelemetry tracing', () => {
  beforeAll(async () => {
    await buildOnce();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.method === 'POST' && req.url === '/v1/traces' && String(req.headers['content-type']).startsWith('application/json')) {
          collect(body);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(404).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    database = await createTestDatabase('postgres');
    const dir = mkdtempSync(join(tmpdir(), 'oidc-tracing-'));
    // The default seed plus service clients allowed to call the admin API (a webhook subscription below).
    writeFileSync(join(dir, 'seed.json'), JSON.stringify(adminSeed()));
    webhooks = await startWebhookReceiver();
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    server = startServerProcess(
      {
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        ISSUER: issuer,
        DATA_DIR: dir,
        COOKIE_KEYS: randomBytes(32).toString('base64url'),
        KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
        BOOTSTRAP_ADMIN: 'false',
        // The sign-in below goes from the password straight to consent.
        PASSKEY_OFFER_ENABLED: 'false',
        DEMO_CLIENTS: 'false',
        LOG_FORMAT: 'json',
        DATABASE_URL: database.url!,
        REDIS_URL: redisUrl!,
        REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
        SEED_FILE: join(dir, 'seed.json'),
        ADMIN_API_AUDIENCE: AUDIENCE,
        // The receiver listens on loopback, which the webhook address policy refuses by default.
        WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
        OUTBOX_POLL_INTERVAL: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_SERVICE_NAME: 'oidc-tracing-test',
      },
      port,
    );
    expect(await server.ready(120_000)).toBe('ready');
  }, 400_000);
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await new Promise((resolve) => receiver?.close(resolve));
    await webhooks?.close();
  });

  it('a token request is one trace: the HTTP request and its Redis commands', async () => {
    const config = await discover(issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
    await client.clientCredentialsGrant(config, { scope: 'orders:read', resource: 'https://api.example.com' });
    const trace = await traceOf(isRequest('/token'), (t) => t.some((s) => dbSystem(s) === 'redis'));
    expect(trace.filter(isRequest('/token'))).toHaveLength(1);
  }, 120_000);

  it('a sign-in is one trace with HTTP, Postgres, Redis and argon2 spans, and its log lines carry the trace id', async () => {
    const config = await discover(issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const { url } = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid', prompt: 'consent' });
    const agent = new UserAgent(issuer);
    const html = await (await agent.follow(url)).response.text();
    expect(csrfOf(html)).toBeTruthy();
    const { callback } = await authorize(agent, `/interaction/${formAction(html, '/interaction/').split('/')[2]}`, { login: TEST_USER.username, password: TEST_USER.password });
    expect(callback.searchParams.get('code')).toBeTruthy();

    const isLogin = (s: ReceivedSpan) => s.name === 'argon2.verify';
    const trace = await traceOf(isLogin, (t) => t.some(isRequest('/interaction/')) && t.some((s) => dbSystem(s) === 'postgresql') && t.some((s) => dbSystem(s) === 'redis'));
    const traceId = trace[0]!.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.filter(isRequest('/interaction/'))).toHaveLength(1);

    const lines = server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((line) => line.traceId === traceId)).toBe(true);
  }, 120_000);

  it('a webhook delivery is a trace holding the outbound HTTP request to the receiver, and its log line carries the trace id', async () => {
    const token = await adminTokenFor(issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
    const admin = (path: string, body: unknown) =>
      fetch(`${issuer}/admin/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await admin('/webhooks', { url: webhooks.url, event_types: ['admin.role.created'] })).status).toBe(201);
    // An admin change is an audit event; the outbox worker delivers it to the subscription.
    expect((await admin('/roles', { name: 'traced-role' })).status).toBe(201);

    const { port } = new URL(webhooks.url);
    const toReceiver = (s: ReceivedSpan) =>
      s.kind === CLIENT_KIND && (String(s.attributes['url.full'] ?? s.attributes['http.url'] ?? '').startsWith(webhooks.url) || String(s.attributes['server.port'] ?? s.attributes['net.peer.port']) === port);
    const trace = await traceOf(toReceiver, (t) => t.some((s) => s.name === 'outbox.deliver'));
    expect(webhooks.received.length).toBeGreaterThanOrEqual(1);
    const outbound = trace.filter(toReceiver);
    expect(outbound).toHaveLength(1);
    expect(String(outbound[0]!.attributes['http.request.method'] ?? outbound[0]!.attributes['http.method'])).toBe('POST');
    // Not the request that caused it: the delivery runs later, in the worker.
    expect(trace.some(isRequest('/admin/'))).toBe(false);

    const lines = server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const delivered = lines.filter((line) => line.msg === 'outbox message delivered' && (line.outbox as { kind?: string } | undefined)?.kind === 'webhook');
    expect(delivered.map((line) => line.traceId)).toContain(trace[0]!.traceId);
  }, 120_000);
});
