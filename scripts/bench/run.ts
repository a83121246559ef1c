/**
 * `npm run bench`: load on loopback against our provider and, in the same run, a plain
 * oidc-provider with its in-memory adapter and the same client configuration. Prints, for each
 * scenario, requests/s and p99 latency of both and the ratio ours / plain; the DPoP rows also
 * give their ratio to the same request without DPoP. Then the rows only ours has (refresh-token
 * grant, full code flow), the code flow against the argon2 verification it is bounded by, and
 * the peak RSS of both providers. The results are also written as JSON.
 *
 * Options: --embedded (ours on the embedded database even when DATABASE_URL is set),
 * --out FILE (JSON results, default bench-result.json), --compare FILE (print the change per
 * row against an earlier JSON result), --mixed (only the mixed load: client credentials,
 * introspection and code flows together for BENCH_MIXED_SECONDS, default 120; peak RSS).
 * Env: BENCH_DURATION (s per scenario, default 10), BENCH_ROUNDS (default 3), BENCH_CONNECTIONS
 * (default 20), DATABASE_URL / REDIS_URL (our provider on Postgres + Redis; else embedded),
 * BENCH_MEMORY_SAMPLES=FILE (our provider appends a memory sample to FILE every 500 ms, see
 * our-provider.ts; --mixed prints the breakdown at the peak), BENCH_DEFAULT_RUNTIME=1 (ours
 * without the V8 and malloc settings it ships with, harness.ts OUR_RUNTIME).
 */
import argon2 from 'argon2';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { codeFlow, FLOW_CONCURRENCY, webBasic } from './code-flow.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { loadConfig } from '../../config/loader.js';
import { dpopKey, dpopProof, proofPool, type DpopKey } from './dpop.js';
import { BENCH_USER } from './fixture.js';
import { benchDatabase, fetchToken, form, launch, load, measured, ourRuntime, peakRssMiB, stop, type Launched, type LoadRequest, type Measure } from './harness.js';
import { CLIENT_CREDENTIALS, CLIENT_CREDENTIALS_JWT, DISCOVERY, INTROSPECTION, JWKS, USERINFO, type Scenario } from './scenarios.js';

const { values: options } = parseArgs({
  options: { embedded: { type: 'boolean' }, out: { type: 'string' }, compare: { type: 'string' }, mixed: { type: 'boolean' } },
});
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP_SECONDS = 2;

interface Row {
  name: string;
  ours: Measure;
  plain?: Measure;
  /** For a DPoP row: the same request without DPoP, on each provider. */
  withoutDpop?: { ours: Measure; plain?: Measure };
  /** Server CPU per request (rows measured with our own client loop). */
  cpuMs?: number;
}


const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const pick = (list: Measure[]): Measure => ({
  rps: median(list.map((m) => m.rps)),
  p99: median(list.map((m) => m.p99)),
  errors: list.reduce((sum, m) => sum + m.errors, 0),
  requests: list.reduce((sum, m) => sum + m.requests, 0),
});

/** One side's load: a fixed request, or one that needs a fresh DPoP proof per request. */
interface Load {
  request: LoadRequest;
  proof?: () => Promise<string>;
}

/**
 * Both providers run side by side and each scenario alternates between them for ROUNDS rounds,
 * so drift in machine load affects both alike; the median round is reported. A load with proofs
 * runs for a number of requests (`budget` req/s × duration, plus a margin), its proofs made
 * before the measured run.
 */
async function compare(urls: { ours: string; plain: string }, make: (side: 'ours' | 'plain') => Promise<Load>, budget?: (side: 'ours' | 'plain') => number) {
  const runs: { ours: Measure[]; plain: Measure[] } = { ours: [], plain: [] };
  const once = async (side: 'ours' | 'plain', seconds: number) => {
    const { request, proof } = await make(side);
    if (!proof) return load(urls[side], request, connections, seconds);
    const amount = Math.max(200, Math.round((budget?.(side) ?? 500) * seconds));
    return load(urls[side], { ...request, perRequest: await proofPool(amount, proof) }, connections, seconds, amount);
  };
  await once('ours', WARM_UP_SECONDS);
  await once('plain', WARM_UP_SECONDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    runs.ours.push(await once('ours', duration));
    runs.plain.push(await once('plain', duration));
  }
  return { ours: pick(runs.ours), plain: pick(runs.plain) };
}

async function refreshGrant(url: string, refreshToken: string): Promise<string> {
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { authorization: webBasic, 'content-type': form },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  if (!response.ok) throw new Error(`refresh failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

/**
 * Tokens made just before each run: the plain provider's in-memory adapter evicts all but the
 * last 1,000 records (a token minted earlier would be introspected as inactive, and cheaply), and
 * a client credentials token lives only ClientCredentials TTL.
 */
async function freshTokens(urls: { ours: string; plain: string }, side: 'ours' | 'plain', ours: { user: string; dpopUser: string }) {
  const service = (await fetchToken(urls[side], 'grant_type=client_credentials')).access_token!;
  if (side === 'ours') return { service, ...ours };
  const users = (await (await fetch(`${urls.plain}/bench/user-tokens`)).json()) as { user: string; dpopUser: string };
  return { service, ...users };
}

async function protocolRows(urls: { ours: string; plain: string }, key: DpopKey, users: { user: string; dpopUser: string }): Promise<Row[]> {
  const rows: Row[] = [];
  const tokens = (side: 'ours' | 'plain') => freshTokens(urls, side, users);
  for (const scenario of [CLIENT_CREDENTIALS, CLIENT_CREDENTIALS_JWT, INTROSPECTION, USERINFO, DISCOVERY, JWKS]) {
    rows.push({ name: scenario.name, ...(await compare(urls, async (side) => ({ request: scenario.request(await tokens(side)) }))) });
  }
  // DPoP (RFC 9449): a fresh proof per request, against the same request without DPoP.
  const dpopRow = async (name: string, base: Row, make: (side: 'ours' | 'plain') => Promise<Load>) => {
    rows.push({ name, ...(await compare(urls, make, (side) => base[side]!.rps)), withoutDpop: { ours: base.ours, plain: base.plain! } });
  };
  await dpopRow('client_credentials with DPoP', rows[0]!, async (side) => ({
    request: CLIENT_CREDENTIALS.request(await tokens(side)),
    proof: () => dpopProof(key, 'POST', `${urls[side]}/token`),
  }));
  await dpopRow('userinfo with DPoP', rows[3]!, async (side) => {
    const { dpopUser } = await tokens(side);
    return { request: { path: '/me', headers: { authorization: `DPoP ${dpopUser}` } }, proof: () => dpopProof(key, 'GET', `${urls[side]}/me`, dpopUser) };
  });
  return rows;
}

/** The rows only ours has (no login pages in the plain provider): refresh-token grant and the full code flow. */
async function ourOnlyRows(ours: Launched): Promise<{ rows: Row[]; flowCpuMs: number | undefined; flowsPerSecond: number }> {
  const pid = ours.child.pid;
  // Each worker holds one refresh token and rotates it with every request (RFC 9700 §4.14.2).
  const refreshTokens = await Promise.all(Array.from({ length: FLOW_CONCURRENCY }, async () => (await codeFlow(ours.url, { scope: 'openid offline_access' })).refresh_token!));
  const refresh = await measured(
    duration,
    FLOW_CONCURRENCY,
    async (worker) => void (refreshTokens[worker] = await refreshGrant(ours.url, refreshTokens[worker]!)),
    pid,
  );
  const flows = await measured(duration, FLOW_CONCURRENCY, async () => void (await codeFlow(ours.url)), pid);
  const asMeasure = (m: Awaited<ReturnType<typeof measured>>): Measure => ({ rps: m.perSecond, p99: m.p99, errors: m.errors, requests: m.requests });
  return {
    rows: [
      { name: `refresh_token grant (${FLOW_CONCURRENCY} concurrent)`, ours: asMeasure(refresh), ...(refresh.cpuMsEach !== undefined ? { cpuMs: refresh.cpuMsEach } : {}) },
      { name: `full code flow (${FLOW_CONCURRENCY} concurrent)`, ours: asMeasure(flows), ...(flows.cpuMsEach !== undefined ? { cpuMs: flows.cpuMsEach } : {}) },
    ],
    flowCpuMs: flows.cpuMsEach,
    flowsPerSecond: flows.perSecond,
  };
}

const fmt = (n: number | undefined, digits = 0, width = 11) => (n === undefined ? 'n/a' : n.toFixed(digits)).padStart(width);

function printTable(rows: Row[]) {
  console.log(`\n${'scenario'.padEnd(40)}${'ours req/s'.padStart(11)}${'ours p99'.padStart(11)}${'plain req/s'.padStart(12)}${'plain p99'.padStart(11)}${'ours/plain'.padStart(11)}  notes`);
  for (const row of rows) {
    const { ours, plain } = row;
    const notes: string[] = [];
    if (row.withoutDpop) {
      const o = ours.rps / row.withoutDpop.ours.rps;
      const p = plain && row.withoutDpop.plain ? plain.rps / row.withoutDpop.plain.rps : undefined;
      notes.push(`vs without DPoP: ours ${o.toFixed(2)}${p === undefined ? '' : `, plain ${p.toFixed(2)}`}`);
    }
    if (row.cpuMs !== undefined) notes.push(`server CPU ${row.cpuMs.toFixed(1)} ms each`);
    if (ours.errors || plain?.errors) notes.push(`non-2xx/errors: ours ${ours.errors}${plain ? `, plain ${plain.errors}` : ''}`);
    console.log(
      `${row.name.padEnd(40)}${fmt(ours.rps)}${fmt(ours.p99, 1)}${fmt(plain?.rps, 0, 12)}${fmt(plain?.p99, 1)}${fmt(plain ? ours.rps / plain.rps : undefined, 2)}  ${notes.join('; ')}`,
    );
  }
}

interface Result {
  date: string;
  node: string;
  storage: string;
  settings: { duration: number; rounds: number; connections: number };
  loadAverage: number[];
  rows: Row[];
  signIn?: { argon2VerifiesPerSecond: number; argon2CpuMs: number | undefined; flowCpuMs: number | undefined; flowsPerSecond: number };
  peakRssMiB: { ours: number | undefined; plain: number | undefined };
}

function printComparison(previous: Result, current: Result) {
  console.log(`\nchange against ${options.compare} (${previous.date}, ${previous.storage}):`);
  const change = (now: number, then: number | undefined) => (then ? `${(((now - then) / then) * 100).toFixed(0).padStart(5)} %` : '    n/a');
  for (const row of current.rows) {
    const before = previous.rows.find((r) => r.name === row.name);
    const ratio = row.plain ? row.ours.rps / row.plain.rps : undefined;
    const ratioBefore = before?.plain ? before.ours.rps / before.plain.rps : undefined;
    console.log(
      `${row.name.padEnd(40)} ours req/s ${fmt(before?.ours.rps, 0, 7)} -> ${fmt(row.ours.rps, 0, 7)} ${change(row.ours.rps, before?.ours.rps)}` +
        (ratio !== undefined ? `   ours/plain ${fmt(ratioBefore, 2, 5)} -> ${fmt(ratio, 2, 5)}` : ''),
    );
  }
  const rss = (r: Result) => r.peakRssMiB.ours;
  console.log(`${'peak RSS ours (MiB)'.padEnd(40)} ${fmt(rss(previous), 0, 7)} -> ${fmt(rss(current), 0, 7)}`);
}

/** --mixed: client credentials, introspection and code flows at once; the provider's RSS throughout. */
async function mixed(ours: Launched) {
  const seconds = Number(process.env.BENCH_MIXED_SECONDS ?? 120);
  const service = (await fetchToken(ours.url, 'grant_type=client_credentials')).access_token!;
  let peak = 0;
  const sampler = setInterval(() => {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${ours.child.pid}/status`, 'utf8'));
    if (match) peak = Math.max(peak, Number(match[1]) / 1024);
  }, 500);
  console.log(`mixed load for ${seconds}s: client credentials + introspection (${connections / 2} connections each) + code flows (2 concurrent)`);
  try {
    const [cc, introspection, flows] = await Promise.all([
      load(ours.url, CLIENT_CREDENTIALS.request({ service }), Math.max(1, connections / 2), seconds),
      load(ours.url, INTROSPECTION.request({ service }), Math.max(1, connections / 2), seconds),
      measured(seconds, 2, async () => void (await codeFlow(ours.url))),
    ]);
    console.log(`client credentials ${cc.rps.toFixed(0)} req/s, introspection ${introspection.rps.toFixed(0)} req/s, code flows ${flows.perSecond.toFixed(1)}/s (errors ${cc.errors + introspection.errors + flows.errors})`);
  } finally {
    clearInterval(sampler);
  }
  console.log(`peak RSS of our provider: ${peak.toFixed(0)} MiB sampled, ${fmt(peakRssMiB(ours.child.pid), 0, 0)} MiB high-water mark (VmHWM)`);
  const samples = process.env.BENCH_MEMORY_SAMPLES;
  if (samples) printMemorySamples(samples);
}

/** BENCH_MEMORY_SAMPLES: the provider's memory breakdown (MiB) at its highest RSS sample, and each field's maximum. */
function printMemorySamples(file: string) {
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, number>);
  if (!lines.length) return;
  const atPeak = lines.reduce((a, b) => (b.rss! > a.rss! ? b : a));
  const fields = Object.keys(atPeak).filter((key) => key !== 't');
  console.log(`memory samples (${lines.length}, ${file}), MiB:`);
  console.log(`  at peak RSS: ${fields.map((key) => `${key} ${atPeak[key]}`).join(', ')}`);
  console.log(`  maximum:     ${fields.map((key) => `${key} ${Math.max(...lines.map((line) => line[key] ?? 0))}`).join(', ')}`);
}

/** `audit verify` on the run's database: every event the load caused is in one valid chain. */
async function verifyAudit(databaseUrl: string | undefined, keyEncryptionKey: string): Promise<string> {
  if (!databaseUrl) return 'audit verify: skipped (embedded database, removed with its directory)';
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli.js');
  const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, REDIS_URL: '', KEY_ENCRYPTION_KEY: keyEncryptionKey };
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'audit', 'verify'], { env });
    return `audit verify: ${stdout.trim()}`;
  } catch (error) {
    return `audit verify FAILED: ${String((error as { stdout?: string }).stdout ?? error).trim()}`;
  }
}

async function main() {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const admin = options.embedded ? undefined : process.env.DATABASE_URL;
  const storageEnv = options.embedded ? { DATABASE_URL: '', REDIS_URL: '' } : {};
  console.log(`Benchmark: ${ROUNDS} rounds x ${duration}s per scenario and provider, ${connections} connections, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const database = await benchDatabase(admin);
  const key = await dpopKey();
  const keyEncryptionKey = randomBytes(32).toString('base64url');
  const runtime = ourRuntime();
  const ours = await launch('our-provider.js', { ...runtime.env, ...storageEnv, DATABASE_URL: database.url ?? '', BENCH_KEY_ENCRYPTION_KEY: keyEncryptionKey }, runtime.nodeArgs);
  console.log(`ours runs with: ${[...runtime.nodeArgs, ...Object.entries(runtime.env).map(([k, v]) => `${k}=${v}`)].join(' ') || "Node's and glibc's defaults (BENCH_DEFAULT_RUNTIME=1)"}`);
  if (options.mixed) {
    try {
      await mixed(ours);
    } finally {
      await stop(ours.child);
      await database.drop();
    }
    return;
  }
  const plain = await launch('plain-provider.js', { BENCH_DPOP_JKT: key.jkt });
  console.log(`ours:  ${ours.url} (${ours.info})`);
  console.log(`plain: ${plain.url} (oidc-provider, in-memory adapter, same client and API)`);
  let rows: Row[];
  let own: Awaited<ReturnType<typeof ourOnlyRows>>;
  let rss: Array<number | undefined>;
  let auditCheck = '';
  try {
    const users = { user: (await codeFlow(ours.url)).access_token, dpopUser: (await codeFlow(ours.url, { dpop: key })).access_token };
    rows = await protocolRows({ ours: ours.url, plain: plain.url }, key, users);
    rss = [undefined, peakRssMiB(plain.child.pid)];
    await stop(plain.child);
    own = await ourOnlyRows(ours);
    rss[0] = peakRssMiB(ours.child.pid);
  } finally {
    await stop(plain.child);
    // Stopping flushes the audit queue: the chain then holds every event of the run.
    await stop(ours.child);
    auditCheck = await verifyAudit(database.url, keyEncryptionKey);
    await database.drop();
  }
  const hash = await argon2.hash(BENCH_USER.password, { type: argon2.argon2id, ...config.argon2 });
  const started = process.cpuUsage();
  const verify = await measured(duration, FLOW_CONCURRENCY, async () => void (await argon2.verify(hash, BENCH_USER.password)));
  const used = process.cpuUsage(started);
  // This process's CPU over the verifications (the thread pool included): one verification's cost.
  const argon2CpuMs = verify.requests ? (used.user + used.system) / 1000 / verify.requests : undefined;
  rows.push(...own.rows);
  printTable(rows);
  const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
  console.log(`\nsign-in against argon2id (m=${config.argon2.memoryCost} KiB, t=${config.argon2.timeCost}), ${FLOW_CONCURRENCY} concurrent:`);
  console.log(`  one verification: ${ms(argon2CpuMs)} CPU; ${verify.perSecond.toFixed(1)} verifications/s`);
  console.log(`  code flow: ${ms(own.flowCpuMs)} server CPU per flow (${own.flowCpuMs && argon2CpuMs ? (own.flowCpuMs / argon2CpuMs).toFixed(2) : 'n/a'} x one verification); ${own.flowsPerSecond.toFixed(1)} flows/s (${(own.flowsPerSecond / verify.perSecond).toFixed(2)} x the verification rate)`);
  console.log(`\n${auditCheck}`);
  console.log(`peak RSS (VmHWM): ours ${fmt(rss[0], 0, 0)} MiB, plain ${fmt(rss[1], 0, 0)} MiB`);
  const result: Result = {
    date: new Date().toISOString(),
    node: process.version,
    storage: ours.info,
    settings: { duration, rounds: ROUNDS, connections },
    loadAverage: loadavg(),
    rows,
    signIn: { argon2VerifiesPerSecond: verify.perSecond, argon2CpuMs, flowCpuMs: own.flowCpuMs, flowsPerSecond: own.flowsPerSecond },
    peakRssMiB: { ours: rss[0], plain: rss[1] },
  };
  const out = options.out ?? 'bench-result.json';
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`results written to ${out}`);
  if (options.compare) printComparison(JSON.parse(readFileSync(options.compare, 'utf8')) as Result, result);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
