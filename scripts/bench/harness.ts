/**
 * What the benchmark and the profiler share: child providers on free ports, a fresh Postgres
 * database per run, autocannon load, and the child's CPU time and peak RSS from /proc.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_CLIENT } from './fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
export const basic = `Basic ${Buffer.from(`${BENCH_CLIENT.client_id}:${BENCH_CLIENT.client_secret}`).toString('base64')}`;
export const form = 'application/x-www-form-urlencoded';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A fresh Postgres database for this run, so nothing from an earlier run (or test) interferes. */
export async function benchDatabase(admin: string | undefined): Promise<{ url: string | undefined; drop(): Promise<void> }> {
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

/**
 * The runtime settings our provider's image ships with (Dockerfile ENV): a 4 MiB semi-space, a
 * 192 MiB old-generation limit and two glibc malloc arenas (docs/performance.md, "Memory").
 * The bench starts ours with them, as deployed; BENCH_DEFAULT_RUNTIME=1 starts it with Node's and
 * glibc's defaults instead, to measure what they change. The plain provider always runs on defaults.
 */
export const OUR_RUNTIME = {
  nodeArgs: ['--max-semi-space-size=4', '--max-old-space-size=192'],
  env: { MALLOC_ARENA_MAX: '2' },
};
export const ourRuntime = () => (process.env.BENCH_DEFAULT_RUNTIME === '1' ? { nodeArgs: [], env: {} } : OUR_RUNTIME);

export interface Launched {
  url: string;
  /** What the child printed after `ready <url>`. */
  info: string;
  child: ChildProcess;
}

/** Starts `script` (next to this file) on a free port; resolves once it prints `ready`. */
export async function launch(script: string, env: Record<string, string | undefined> = {}, nodeArgs: string[] = []): Promise<Launched> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, isAbsolute(script) ? script : join(here, script)], { env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
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

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface Measure {
  rps: number;
  p99: number;
  errors: number;
  requests: number;
}

export interface LoadRequest {
  method?: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  /** Headers that must differ per request (a DPoP proof): taken one per request, never reused. */
  perRequest?: () => Record<string, string>;
}

/** autocannon for `seconds`, or for exactly `amount` requests when given. */
export async function load(url: string, request: LoadRequest, connections: number, seconds: number, amount?: number): Promise<Measure> {
  const { perRequest } = request;
  const started = performance.now();
  const result = await autocannon({
    url: `${url}${request.path}`,
    method: request.method ?? 'GET',
    body: request.body,
    headers: request.headers,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    ...(perRequest ? { requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, headers: { ...req.headers, ...perRequest() } }) }] } : {}),
  });
  // Completed requests over the elapsed time: a run for an `amount` ends when they are done.
  const elapsed = (performance.now() - started) / 1000;
  return { rps: result.requests.total / elapsed, p99: result.latency.p99, errors: result.non2xx + result.errors, requests: result.requests.total };
}

/** CPU seconds a child process has used so far (Linux /proc; undefined elsewhere). */
/** CPU seconds of process `pid`, all threads (or of its thread `tid` only: the main thread is `tid` = `pid`). */
export function cpuSeconds(pid: number | undefined, tid?: number): number | undefined {
  if (!pid) return undefined;
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The process's peak resident set so far (VmHWM, Linux), in MiB; undefined elsewhere. */
export function peakRssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `task` with `concurrency` workers (numbered from 0) for `seconds`; the rate, p99 and server CPU per completion. */
export async function measured(seconds: number, concurrency: number, task: (worker: number) => Promise<void>, serverPid?: number) {
  const cpuBefore = cpuSeconds(serverPid);
  const until = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (Date.now() < until) {
        const start = performance.now();
        try {
          await task(worker);
          latencies.push(performance.now() - start);
        } catch (error) {
          errors += 1;
          if (errors === 1) console.error(`  first failure: ${(error as Error).message}`);
        }
      }
    }),
  );
  const cpuAfter = cpuSeconds(serverPid);
  const done = latencies.length;
  const cpuMsEach = cpuBefore !== undefined && cpuAfter !== undefined && done ? ((cpuAfter - cpuBefore) * 1000) / done : undefined;
  latencies.sort((a, b) => a - b);
  const p99 = done ? latencies[Math.min(done - 1, Math.floor(done * 0.99))]! : 0;
  return { perSecond: done / seconds, p99, errors, cpuMsEach, requests: done };
}

export async function fetchToken(url: string, body: string, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const response = await fetch(`${url}/token`, { method: 'POST', headers: { authorization: basic, 'content-type': form, ...headers }, body });
  if (!response.ok) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}
