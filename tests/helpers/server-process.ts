/**
 * The provider as an operator runs it: `node dist/server/main.js` in a child process with exactly
 * the environment given (plus PATH and HOME), polled on /readyz until it is ready or has exited.
 * Build dist/ first (helpers/cli.ts buildOnce).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../config/paths.js';

export interface ServerProcess {
  /** Resolves 'ready' once /readyz answers 200, or 'exited' when the process ends first. */
  ready(timeoutMs: number): Promise<'ready' | 'exited'>;
  output(): string;
  exitCode(): number | null;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export function startServerProcess(env: Record<string, string>, port: number, args: string[] = ['dist/server/main.js']): ServerProcess {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let code: number | null | undefined;
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve((code = c))));
  return {
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (code !== undefined) return 'exited';
        try {
          if ((await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200) return 'ready';
        } catch {
          // not listening yet
        }
        await sleep(200);
      }
      throw new Error(`not ready within ${timeoutMs} ms:\n${output}`);
    },
    output: () => output,
    exitCode: () => code ?? null,
    async stop() {
      if (code === undefined) child.kill('SIGTERM');
      return exited;
    },
  };
}
