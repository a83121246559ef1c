/**
 * Runs the real binaries (`bin/oidc-server.js`, `dist/server/main.js`) as an operator would: a
 * child process with a clean environment. `buildOnce` compiles the project for them, once per
 * test run (helpers/build.ts).
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { buildOnce as buildDist } from './build.js';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], env: Record<string, string>, options: { command?: string; input?: string; timeoutMs?: number } = {}): Promise<Outcome> {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
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

/** Compiles dist/ once per test run (see build.ts); a failed build rejects. */
export async function buildOnce(): Promise<Outcome> {
  return { code: 0, stdout: await buildDist(), stderr: '' };
}
