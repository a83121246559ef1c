/**
 * docs/device-flow.md's command, run as written: the example CLI asks for a code, a user approves
 * it in a (browserless) user agent, the CLI prints who signed in. A wrong client id makes it fail
 * with the provider's error.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { approveDevice, deviceSeed } from './support.js';

let op: TestProvider;

beforeAll(async () => {
  op = await startTestProvider({ seed: deviceSeed(), env: { DEVICE_POLL_INTERVAL: '1' } });
}, 60_000);
afterAll(async () => op?.stop());

/** The `sh` block of the docs page that runs the example. */
function documentedCommand(): string {
  const doc = readFileSync('docs/device-flow.md', 'utf8');
  const block = /```sh\n([^`]*device-login[^`]*)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/device-flow.md has no sh block running the example');
  return block.trim();
}

function run(command: string) {
  const child = spawn('sh', ['-c', command], { env: { ...process.env, ISSUER: op.issuer }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const output = async (pattern: RegExp) => {
    for (let i = 0; i < 200 && !pattern.test(stdout); i += 1) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return pattern.exec(stdout);
  };
  return { exited, output, get stdout() { return stdout; }, get stderr() { return stderr; } };
}

describe('docs/device-flow.md', () => {
  it('the documented command signs a CLI in once the user approves', async () => {
    const cli = run(documentedCommand());
    const prompt = await cli.output(/open (\S+) and enter the code ([A-Z]{4}-[A-Z]{4})/);
    expect(prompt, cli.stderr).toBeTruthy();
    expect(prompt![1]).toBe(`${op.issuer}/device`);
    // The QR code is drawn with block characters.
    await cli.output(/▀|▄|█/);
    expect(cli.stdout).toMatch(/▀|▄|█/);
    await approveDevice(new UserAgent(op.issuer), op.issuer, prompt![2]!);
    expect(await cli.exited, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/Signed in as \S+ \(with a refresh token\)\./);
  }, 60_000);

  it('an unknown client id fails with the provider\'s error', async () => {
    const cli = run(documentedCommand().replace('tv-app', 'no-such-device'));
    expect(await cli.exited).toBe(1);
    expect(cli.stderr).toContain('Sign-in failed: invalid_client');
  }, 30_000);
});
