/**
 * `node dist/scripts/bench/start-time.js`: how long `npm start` takes on the embedded default.
 * Starts `node dist/server/main.js` with a clean environment (PATH and HOME, a free PORT, a fresh
 * DATA_DIR) and waits for /readyz 200 — the first start (initdb, migrations, keys, bootstrap) —
 * stops it, then starts it again on the same directory, as `npm start` does the second time.
 * For each start: wall time to ready, the child's CPU seconds by then (the figure that holds on a
 * loaded machine, where wall time is mostly waiting for a core), its RSS at ready and after idling,
 * and the `npm start` build check's own time (bin/build-if-changed.js, which runs first).
 *
 * Options: --runs N (second starts, default 3), --idle S (seconds idle before the RSS reading,
 * default 5), --cpu-prof DIR (one more second start under `node --cpu-prof`, stopped at ready;
 * prints where its CPU went: per package or folder of ours, by self time).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { projectRoot } from '../../config/paths.js';
import { cpuSeconds, peakRssMiB, stop } from './harness.js';

const { values: options } = parseArgs({ options: { runs: { type: 'string', default: '3' }, idle: { type: 'string', default: '5' }, 'cpu-prof': { type: 'string' } } });

interface Start {
  wallMs: number;
  cpuSeconds: number | undefined;
  rssMiB: number | undefined;
  idleRssMiB: number | undefined;
  peakMiB: number | undefined;
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Resident set now (VmRSS, Linux), in MiB. */
function rssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function startOnce(dataDir: string, nodeArgs: string[], idleSeconds: number): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'dist/server/main.js'], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200) break;
    } catch {
      // not listening yet
    }
    // Polls often: the figure is the time to ready, give or take this interval.
    await sleep(25);
  }
  const wallMs = performance.now() - started;
  const result = { wallMs, cpuSeconds: cpuSeconds(child.pid), rssMiB: rssMiB(child.pid) };
  if (idleSeconds > 0) await sleep(idleSeconds * 1000);
  const idle = { idleRssMiB: idleSeconds > 0 ? rssMiB(child.pid) : undefined, peakMiB: peakRssMiB(child.pid) };
  await stop(child);
  return { ...result, ...idle };
}

/** The build check `npm start` runs before the server (it compiles only when a source changed). */
function buildCheckMs(): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['bin/build-if-changed.js'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('bin/build-if-changed.js failed');
  return performance.now() - started;
}

const fixed = (value: number | undefined, digits = 0) => (value === undefined ? '?' : value.toFixed(digits));
const line = (label: string, start: Start) =>
  `${label.padEnd(14)} ready in ${fixed(start.wallMs).padStart(6)} ms  cpu ${fixed(start.cpuSeconds, 2).padStart(5)} s  rss at ready ${fixed(start.rssMiB).padStart(4)} MiB  idle ${fixed(start.idleRssMiB).padStart(4)} MiB  peak ${fixed(start.peakMiB).padStart(4)} MiB`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** Where a profile sample's self time goes: a package, a folder of ours, or V8's own buckets. */
function bucketOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node: (built-ins, module loader)';
  const ours = /\/dist\/([^/]+\/(?:[^/]+\/)?)/.exec(url);
  return ours ? `ours: ${ours[1]}` : url;
}

function summarize(profileFile: string): string[] {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const bucket = bucketOf(nodes.get(id)!);
    totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const busy = [...totals].filter(([bucket]) => bucket !== '(idle)').reduce((sum, [, ms]) => sum + ms, 0);
  return [
    `sampled busy time ${busy.toFixed(0)} ms (idle excluded), by self time:`,
    ...[...totals]
      .filter(([bucket]) => bucket !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([bucket, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${bucket}`),
  ];
}

async function main() {
  const runs = Number(options.runs);
  const idle = Number(options.idle);
  const dataDir = mkdtempSync(join(tmpdir(), 'oidc-start-'));
  try {
    console.log(`node ${process.version}, data dir ${dataDir}`);
    console.log(`build check (bin/build-if-changed.js): ${buildCheckMs().toFixed(0)} ms`);
    console.log(line('first start', await startOnce(dataDir, [], idle)));
    for (let run = 1; run <= runs; run += 1) console.log(line(`second start${runs > 1 ? ` #${run}` : ''}`, await startOnce(dataDir, [], idle)));
    if (options['cpu-prof']) {
      const dir = resolve(options['cpu-prof']);
      mkdirSync(dir, { recursive: true });
      const before = new Set(readdirSync(dir));
      console.log(line('profiled start', await startOnce(dataDir, ['--cpu-prof', `--cpu-prof-dir=${dir}`], 0)));
      const written = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile') && !before.has(name));
      for (const name of written) console.log([`profile ${join(dir, name)}`, ...summarize(join(dir, name))].join('\n'));
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
