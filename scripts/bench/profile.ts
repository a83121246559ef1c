/**
 * `node dist/scripts/bench/profile.js [seconds]`: where the token endpoint's time goes. Starts our
 * provider under `node --cpu-prof` once per scenario (opaque and JWT client credentials,
 * introspection), loads it with autocannon, and splits the server's CPU per request into buckets
 * (middleware, client lookup, audit, webhooks, metrics, Redis, Postgres, signing, …).
 *
 * Each profile sample is given to the first bucket found walking from the sampled function
 * towards the root, skipping Node's own internals (so a socket write is charged to whoever wrote:
 * pg, ioredis, Koa). Only samples inside the load window count; the bucket shares then divide the
 * CPU time /proc reports for that window, so the figures are µs of CPU per request.
 *
 * `--flow`: the full authorization-code flow instead (login and consent pages, code exchange),
 * FLOW_CONCURRENCY at once, per flow; argon2 runs on the thread pool, outside the main thread's
 * profile, so its share is the process CPU the profile does not see ("thread pool").
 *
 * Env: DATABASE_URL / REDIS_URL as for the bench; BENCH_CONNECTIONS (default 20).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { codeFlow, FLOW_CONCURRENCY } from './code-flow.js';
import { benchDatabase, cpuSeconds, fetchToken, launch, load, measured, stop } from './harness.js';
import { CLIENT_CREDENTIALS, CLIENT_CREDENTIALS_JWT, INTROSPECTION, type Scenario } from './scenarios.js';

const { values: options, positionals } = parseArgs({ options: { flow: { type: 'boolean' } }, allowPositionals: true });
const seconds = Number(positionals[0] ?? process.env.BENCH_DURATION ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);

/** Bucket by script URL, first match wins; checked from the sampled frame towards the root. */
const BUCKETS: Array<[bucket: string, parts: string[]]> = [
  ['audit', ['/server/modules/compliance/', '/server/oidc/events.', '/adapters/db/audit-store', '/server/wiring/modules/audit']],
  ['webhook dispatch', ['/server/modules/webhooks/', '/adapters/db/cached-subscriptions', '/adapters/db/webhook-subscriptions', '/adapters/db/outbox-repository']],
  ['client lookup + auth', ['/adapters/db/cached-clients', '/adapters/db/clients', '/adapters/oidc/client-store', 'oidc-provider/lib/models/client.js', 'oidc-provider/lib/shared/client_auth', 'oidc-provider/lib/helpers/configuration']],
  ['metrics', ['prom-client', '/adapters/metrics/', '/server/http/middleware/http-metrics']],
  ['logging', ['node_modules/pino', '/adapters/logging/']],
  ['templates (eta)', ['node_modules/eta']],
  ['i18n', ['node_modules/i18next', '/server/shared/i18n', '/adapters/i18n']],
  ['cookies (keygrip)', ['node_modules/keygrip', 'node_modules/cookies', 'node_modules/tsscmp']],
  ['argon2 (main thread)', ['node_modules/argon2', '/adapters/crypto/password-hasher']],
  ['Redis', ['node_modules/ioredis', 'node_modules/redis-parser', 'node_modules/denque', 'node_modules/cluster-key-slot', '/adapters/oidc/redis-store', '/adapters/redis/']],
  ['Postgres', ['node_modules/pg', 'node_modules/knex', '/adapters/db/', '/adapters/oidc/sql-store', '/adapters/oidc/']],
  ['signing (JWT)', ['node_modules/jose', 'oidc-provider/lib/helpers/jwt', 'oidc-provider/lib/models/formats/jwt', 'oidc-provider/lib/helpers/keystore']],
  ['our middleware', ['/server/http/', '/server/app.', '/server/oidc/outage', 'node_modules/koa-mount', '/server/shared/request-scope']],
  ['Koa + HTTP', ['node_modules/koa', 'node_modules/@koa', 'node_modules/koa-compose', 'node:_http']],
  ['oidc-provider (rest)', ['node_modules/oidc-provider', 'node_modules/quick-lru', 'node_modules/@koa/cors', 'node_modules/raw-body']],
  ['our other code', ['/server/', '/adapters/', '/config/']],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  parent?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function bucketOf(nodes: Map<number, ProfileNode>, id: number): string {
  const leaf = nodes.get(id)!;
  const name = leaf.callFrame.functionName;
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return '(idle)';
  if (name === '(program)') return 'V8/native (unattributed)';
  let node: ProfileNode | undefined = leaf;
  while (node) {
    const { url } = node.callFrame;
    if (url && (!url.startsWith('node:') || url.startsWith('node:_http'))) {
      for (const [bucket, parts] of BUCKETS) if (parts.some((part) => url.includes(part))) return bucket;
    }
    node = node.parent === undefined ? undefined : nodes.get(node.parent);
  }
  return 'Node internals (other)';
}

/** µs of profile time per bucket between `from` and `to` (µs, the profile's monotonic clock). */
function breakdown(profile: CpuProfile, from: number, to: number): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const child of n.children ?? []) nodes.get(child)!.parent = n.id;
  const totals = new Map<string, number>();
  let time = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    if (time < from || time > to) return;
    const bucket = bucketOf(nodes, id);
    totals.set(bucket, (totals.get(bucket) ?? 0) + delta);
  });
  return totals;
}

const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/** What one profiled run loads: a fixed request with autocannon, or the code flow. */
interface Target {
  name: string;
  /** Before the measured window: tokens, JIT, caches. @returns the measured run, which @returns how many requests (flows) it completed. */
  prepare(url: string): Promise<() => Promise<number>>;
}

const scenarioTarget = (scenario: Scenario): Target => ({
  name: scenario.name,
  async prepare(url) {
    const service = (await fetchToken(url, 'grant_type=client_credentials')).access_token!;
    const request = scenario.request({ service });
    await load(url, request, connections, 2);
    return async () => (await load(url, request, connections, seconds)).requests;
  },
});

const flowTarget: Target = {
  name: `code flow (${FLOW_CONCURRENCY} concurrent)`,
  async prepare(url) {
    await measured(2, FLOW_CONCURRENCY, async () => void (await codeFlow(url)));
    return async () => (await measured(seconds, FLOW_CONCURRENCY, async () => void (await codeFlow(url)))).requests;
  },
};

async function profileScenario(target: Target) {
  const dir = mkdtempSync(join(tmpdir(), 'oidc-profile-'));
  const database = await benchDatabase(process.env.DATABASE_URL);
  const ours = await launch('our-provider.js', { DATABASE_URL: database.url }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  let window: { from: number; to: number; cpu: number; main: number; requests: number };
  try {
    const run = await target.prepare(ours.url);
    const pid = ours.child.pid;
    const cpuBefore = cpuSeconds(pid) ?? 0;
    const mainBefore = cpuSeconds(pid, pid) ?? 0;
    const from = nowMicros();
    const requests = await run();
    const to = nowMicros();
    const cpu = ((cpuSeconds(pid) ?? 0) - cpuBefore) * 1e6;
    // The profile samples the main thread only: its share split the main thread's CPU; what the
    // other threads used (libuv pool: argon2, crypto, zlib; V8's GC helpers) is a part of its own.
    const main = ((cpuSeconds(pid, pid) ?? 0) - mainBefore) * 1e6;
    window = { from, to, cpu, main, requests };
  } finally {
    await stop(ours.child);
    await database.drop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const totals = breakdown(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, window.from, window.to);
  totals.delete('(idle)');
  const sampled = [...totals.values()].reduce((a, b) => a + b, 0);
  // Scaled to the main thread's CPU; the remainder of the process CPU becomes its own part.
  for (const [bucket, value] of totals) totals.set(bucket, (value / sampled) * window.main);
  totals.set('other threads (thread pool: argon2, crypto; GC helpers)', Math.max(0, window.cpu - window.main));
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  return { scenario: target.name, window, totals, sampled: total, profile: join(dir, file) };
}

const results: Array<Awaited<ReturnType<typeof profileScenario>>> = [];
const targets = options.flow ? [flowTarget] : [CLIENT_CREDENTIALS, CLIENT_CREDENTIALS_JWT, INTROSPECTION].map(scenarioTarget);
for (const target of targets) results.push(await profileScenario(target));

const buckets = [...new Set(results.flatMap((r) => [...r.totals.keys()]))].sort(
  (a, b) => results.reduce((s, r) => s + (r.totals.get(b) ?? 0) / r.sampled, 0) - results.reduce((s, r) => s + (r.totals.get(a) ?? 0) / r.sampled, 0),
);
console.log(`\nCPU µs per request (the main thread's CPU in the window split by profile share, plus the other threads' CPU, / requests), ${connections} connections, ${seconds}s\n`);
console.log(`| bucket | ${results.map((r) => r.scenario).join(' | ')} |`);
console.log(`|---|${results.map(() => '---:').join('|')}|`);
for (const bucket of buckets) {
  console.log(`| ${bucket} | ${results.map((r) => ((r.totals.get(bucket) ?? 0) / r.window.requests).toFixed(0)).join(' | ')} |`);
}
console.log(`| **total CPU per request** | ${results.map((r) => (r.window.cpu / r.window.requests).toFixed(0)).join(' | ')} |`);
console.log(`| requests/s under the profiler | ${results.map((r) => (r.window.requests / seconds).toFixed(0)).join(' | ')} |`);
for (const r of results) console.log(`profile of ${r.scenario}: ${r.profile}`);
