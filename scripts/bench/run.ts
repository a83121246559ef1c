/**
 * `npm run bench`: load on loopback against our provider and, in the same run, a plain
 * oidc-provider with its in-memory adapter and the same client configuration. Prints, for each
 * scenario, requests/s and p99 latency of both and the ratio ours / plain, then the
 * authorization-code flow rate against the argon2 verification rate it is bounded by.
 *
 * Env: BENCH_DURATION (s per scenario, default 10), BENCH_CONNECTIONS (default 20),
 * DATABASE_URL / REDIS_URL (our provider on Postgres + Redis; else the embedded database).
 */
import autocannon from 'autocannon';
import argon2 from 'argon2';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/loader.js';
import { BENCH_API, BENCH_CLIENT, BENCH_USER, BENCH_WEB_CLIENT } from './fixture.js';
import { authorize, UserAgent } from './user-agent.js';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const here = dirname(fileURLToPath(import.meta.url));
const basic = `Basic ${Buffer.from(`${BENCH_CLIENT.client_id}:${BENCH_CLIENT.client_secret}`).toString('base64')}`;
const form = 'application/x-www-form-urlencoded';
const WARM_UP_SECONDS = 2;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A fresh Postgres database for this run, so nothing from an earlier run (or test) interferes. */
async function benchDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const admin = process.env.DATABASE_URL;
  if (!admin) return { url: undefined, drop: async () => undefined };
  const name = `oidc_bench_${randomBytes(4).toString('hex')}`;
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function launch(script: string, env: Record<string, string | undefined> = {}): Promise<{ url: string; info: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(here, script)], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) {
        const [, , ...info] = line.split(' ');
        resolve({ url: `http://127.0.0.1:${port}`, info: info.join(' '), child });
      }
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

interface Measure {
  rps: number;
  p99: number;
  errors: number;
}

async function load(
  url: string,
  options: { method?: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> },
  seconds = duration,
): Promise<Measure> {
  const result = await autocannon({
    url: `${url}${options.path}`,
    method: options.method ?? 'GET',
    body: options.body,
    headers: options.headers,
    connections,
    duration: seconds,
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.non2xx + result.errors };
}

async function fetchToken(url: string, body: string): Promise<string> {
  const response = await fetch(`${url}/token`, { method: 'POST', headers: { authorization: basic, 'content-type': form }, body });
  if (!response.ok) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

const SCENARIOS = [
  { name: 'client_credentials (opaque)', request: () => ({ method: 'POST' as const, path: '/token', body: 'grant_type=client_credentials', headers: { authorization: basic, 'content-type': form } }) },
  {
    name: 'client_credentials (JWT, RFC 9068)',
    request: () => ({
      method: 'POST' as const,
      path: '/token',
      body: `grant_type=client_credentials&resource=${encodeURIComponent(BENCH_API.identifier)}&scope=bench%3Aread`,
      headers: { authorization: basic, 'content-type': form },
    }),
  },
  {
    name: 'introspection',
    // With the hint, as resource servers send it (RFC 7662 §2.1): the token is looked up where access tokens live.
    request: (token: string) => ({
      method: 'POST' as const,
      path: '/token/introspection',
      body: `token=${token}&token_type_hint=access_token`,
      headers: { authorization: basic, 'content-type': form },
    }),
  },
  { name: 'discovery', request: () => ({ path: '/.well-known/openid-configuration' }) },
  { name: 'jwks', request: () => ({ path: '/jwks' }) },
];

/**
 * Both providers run side by side and each scenario alternates between them for ROUNDS rounds,
 * so drift in machine load affects both alike; the median round is reported.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function compareScenarios(oursUrl: string, plainUrl: string): Promise<Array<{ ours: Measure; plain: Measure }>> {
  const tokens = { ours: await fetchToken(oursUrl, 'grant_type=client_credentials'), plain: await fetchToken(plainUrl, 'grant_type=client_credentials') };
  const results: Array<{ ours: Measure; plain: Measure }> = [];
  for (const scenario of SCENARIOS) {
    const runs: { ours: Measure[]; plain: Measure[] } = { ours: [], plain: [] };
    // A short warm-up lets the JIT and connection pools settle before the measured runs.
    await load(oursUrl, scenario.request(tokens.ours), WARM_UP_SECONDS);
    await load(plainUrl, scenario.request(tokens.plain), WARM_UP_SECONDS);
    for (let round = 0; round < ROUNDS; round += 1) {
      runs.ours.push(await load(oursUrl, scenario.request(tokens.ours)));
      runs.plain.push(await load(plainUrl, scenario.request(tokens.plain)));
    }
    const pick = (list: Measure[]): Measure => ({
      rps: median(list.map((m) => m.rps)),
      p99: median(list.map((m) => m.p99)),
      errors: list.reduce((sum, m) => sum + m.errors, 0),
    });
    results.push({ ours: pick(runs.ours), plain: pick(runs.plain) });
  }
  return results;
}

async function oneFlow(url: string): Promise<void> {
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${url}/auth`);
  auth.search = new URLSearchParams({
    client_id: BENCH_WEB_CLIENT.client_id,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: BENCH_WEB_CLIENT.redirect_uri,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const { callback } = await authorize(new UserAgent(url), auth, { login: BENCH_USER.username, password: BENCH_USER.password });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`flow ended without code: ${callback}`);
  const response = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${BENCH_WEB_CLIENT.client_id}:${BENCH_WEB_CLIENT.client_secret}`).toString('base64')}`, 'content-type': form },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_WEB_CLIENT.redirect_uri, code_verifier: verifier }).toString(),
  });
  if (!response.ok) throw new Error(`code exchange failed: ${response.status}`);
}

/** CPU seconds a child process has used so far (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Runs `task` with `concurrency` workers for `seconds`; @returns completions per second. */
async function rate(seconds: number, concurrency: number, task: () => Promise<void>): Promise<number> {
  return (await measured(seconds, concurrency, task)).perSecond;
}

/** As rate(), and the server CPU each completion cost when `serverPid` is given. */
async function measured(seconds: number, concurrency: number, task: () => Promise<void>, serverPid?: number) {
  const cpuBefore = cpuSeconds(serverPid);
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        await task();
        done += 1;
      }
    }),
  );
  const cpuAfter = cpuSeconds(serverPid);
  const cpuMsEach = cpuBefore !== undefined && cpuAfter !== undefined && done ? ((cpuAfter - cpuBefore) * 1000) / done : undefined;
  return { perSecond: done / seconds, cpuMsEach };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(9);

async function main() {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  console.log(`Benchmark: ${ROUNDS} rounds x ${duration}s per scenario and provider, ${connections} connections, Node ${process.version}`);
  const database = await benchDatabase();
  const ours = await launch('our-provider.js', { DATABASE_URL: database.url });
  const plain = await launch('plain-provider.js');
  console.log(`ours:  ${ours.url} (${ours.info})`);
  console.log(`plain: ${plain.url} (oidc-provider, in-memory adapter, same client and API)`);
  let results: Array<{ ours: Measure; plain: Measure }>;
  let flows: { perSecond: number; cpuMsEach: number | undefined };
  let cheapFlows: { perSecond: number; cpuMsEach: number | undefined };
  // Flow concurrency matches the libuv threadpool (4 threads), where argon2 runs.
  const flowConcurrency = 4;
  try {
    results = await compareScenarios(ours.url, plain.url);
    await stop(plain.child);
    flows = await measured(duration, flowConcurrency, () => oneFlow(ours.url), ours.child.pid);
  } finally {
    if (plain.child.exitCode === null) await stop(plain.child);
    await stop(ours.child);
    await database.drop();
  }
  // The same flow with argon2 at its minimum cost shows what the rest of the flow costs.
  const cheapDatabase = await benchDatabase();
  const cheap = await launch('our-provider.js', { DATABASE_URL: cheapDatabase.url, ARGON2_MEMORY_KIB: '64', ARGON2_TIME_COST: '1' });
  try {
    cheapFlows = await measured(duration, flowConcurrency, () => oneFlow(cheap.url), cheap.child.pid);
  } finally {
    await stop(cheap.child);
    await cheapDatabase.drop();
  }

  const hash = await argon2.hash(BENCH_USER.password, { type: argon2.argon2id, ...config.argon2 });
  const verifiesPerSecond = await rate(duration, flowConcurrency, async () => void (await argon2.verify(hash, BENCH_USER.password)));

  console.log('\nscenario                               ours req/s  ours p99ms  plain req/s plain p99ms  ratio ours/plain');
  SCENARIOS.forEach((scenario, i) => {
    const { ours: o, plain: p } = results[i]!;
    const errors = o.errors + p.errors ? `  (non-2xx/errors: ours ${o.errors}, plain ${p.errors})` : '';
    console.log(`${scenario.name.padEnd(38)}${fmt(o.rps)}${fmt(o.p99, 1)}   ${fmt(p.rps)}${fmt(p.p99, 1)}   ${fmt(o.rps / p.rps, 2)}${errors}`);
  });
  const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(1)} ms`);
  console.log(`\nauthorization-code flow (login POST + consent + token, ${flowConcurrency} concurrent):`);
  console.log(`  argon2 as configured (m=${config.argon2.memoryCost} KiB, t=${config.argon2.timeCost}): ${flows.perSecond.toFixed(1)} flows/s, server CPU ${ms(flows.cpuMsEach)} per flow`);
  console.log(`  argon2 at minimum cost (m=64 KiB, t=1):      ${cheapFlows.perSecond.toFixed(1)} flows/s, server CPU ${ms(cheapFlows.cpuMsEach)} per flow`);
  console.log(`  argon2id verification alone: ${verifiesPerSecond.toFixed(1)}/s (${flowConcurrency} concurrent)`);
  if (flows.cpuMsEach !== undefined && cheapFlows.cpuMsEach !== undefined) {
    const share = (flows.cpuMsEach - cheapFlows.cpuMsEach) / flows.cpuMsEach;
    console.log(`  share of the server's CPU per sign-in spent in argon2: ${(share * 100).toFixed(0)}%`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
