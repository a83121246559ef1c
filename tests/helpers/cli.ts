/**
 * Runs the real binaries (`bin/oidc-server.js`, `dist/server/main.js`) as an operator would: a
 * child process with a clean environment. `buildOnce` compiles the project for them; suites in
 * parallel forks take turns through a lock directory, so no suite runs a half-written dist/.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../config/paths.js';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], env: Record<string, string>, options: { command?: string; input?: string } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    // A clean environment: nothing leaks in from the test runner's own DATABASE_URL or REDIS_URL.
    const child = spawn(options.command ?? process.execPath, args, {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // oidc-provider warns at import on a Node version it does not list as supported (20 here):
      // a property of the machine running the tests, not of the command under test.
      resolve({ code, stdout, stderr: stderr.replace(/^oidc-provider WARNING: Unsupported runtime\..*\n/gm, '') });
    });
  });
}

/** `oidc-server <args>` through the published bin script. */
export const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
  run(['bin/oidc-server.js', ...args], env, input === undefined ? {} : { input });

const LOCK = join(projectRoot, '.build-lock');
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 120_000;

/** `npm run build`, one suite at a time; @returns its outcome. */
export async function buildOnce(): Promise<Outcome> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmdirSync(LOCK);
      } catch {
        // Released meanwhile.
      }
      await sleep(200);
    }
  }
  try {
    return await run(['run', '-s', 'build'], {}, { command: 'npm' });
  } finally {
    rmdirSync(LOCK);
  }
}
