/**
 * Builds dist/ (what the `oidc-server` binary runs) once per test run, however many test files
 * in however many worker processes ask: concurrent `tsc` runs writing the same files would race
 * and, on a loaded machine, each take longer than a test's patience. The run is identified by
 * the vitest main process (every fork's parent); a lock directory serializes the build.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../config/paths.js';

const dir = join(projectRoot, 'test-results');
const lock = join(dir, '.build.lock');
const done = join(dir, '.build.done');
// A build takes ~25 s on a busy two-core machine; a lock older than this was left by a killed run.
const STALE_MS = 240_000;

function builtInThisRun(): boolean {
  try {
    return readFileSync(done, 'utf8') === String(process.ppid);
  } catch {
    return false;
  }
}

function build(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`npm run build exited ${code}: ${output}`))));
  });
}

/** @returns the build's output (empty when it was clean, or when another file already built). */
export async function buildOnce(): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  for (;;) {
    if (builtInThisRun()) return '';
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - started > STALE_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
    }
  }
  try {
    if (builtInThisRun()) return '';
    const output = await build();
    writeFileSync(done, String(process.ppid));
    return output;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
