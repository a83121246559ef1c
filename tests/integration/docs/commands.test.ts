/**
 * Every command in README.md and docs/*.md, run as a reader would run it, so the docs cannot rot.
 * A shell block is run in a fresh working directory (with the project's package.json, bin/, dist/,
 * docs/ and node_modules/ linked in, so `npm run cli -- …` works there) against a provider this
 * file starts on the run's stores. Blocks run in document order, README.md first and then
 * docs/*.md by name, sharing one shell state (variables carry over: connect-an-app.md uses the
 * `$TOKEN` admin-api.md got, as a reader following its link does), and get `$ISSUER` and the provider's own settings (database, Redis
 * prefix, keys) as an operator's shell would. It must exit 0 (or the code a `run: exit N` marker
 * gives), and a `console` block's output must be what the page shows. A block that is not run
 * says why and names the test or CI step covering it (blocks.ts); one that does neither fails here.
 * On the embedded database the server is stopped while a block runs the CLI, as the docs tell
 * readers to do (one process per PGlite directory). There only the pages that walk an embedded
 * reader through it run their CLI blocks (admin-api.md, connect-an-app.md): each CLI start opens
 * PGlite anew, which would make this file the slowest of the leg, and the Postgres legs run every
 * block.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../config/paths.js';
import { buildOnce } from '../../helpers/build.js';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { postgresUrl } from '../../helpers/stores.js';
import { blocksOf, documentationFiles, outputMatches, problemOf, SHELL_LANGUAGES, stepsOf, type Block } from './blocks.js';

const pages = documentationFiles().map((file) => ({ file, blocks: blocksOf(file) }));
const runnable = (block: Block) => SHELL_LANGUAGES.has(block.language) && block.notRun === undefined;
/** The CLI opens the database itself: on PGlite the server must not hold it meanwhile. */
const usesCli = (text: string) => /\bnpm run (-s )?(cli|migrate|keys:rotate)\b|\boidc-server\b/.test(text);
const embedded = !postgresUrl;
const EMBEDDED_CLI_PAGES = new Set(['docs/admin-api.md', 'docs/connect-an-app.md']);
function skipReason(file: string, block: Block): string | undefined {
  if (!embedded) return undefined;
  if (block.run.postgresOnly) return 'needs Postgres; the Postgres legs run it';
  if (usesCli(block.text) && !EMBEDDED_CLI_PAGES.has(file)) return 'the CLI on PGlite: the Postgres legs run it';
  return undefined;
}

let op: TestProvider;
let work: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'docs-commands-'));
  for (const name of ['package.json', 'bin', 'dist', 'docs', 'node_modules']) symlinkSync(join(projectRoot, name), join(work, name));
  op = await startTestProvider({ seed: false });
}, 180_000);
afterAll(async () => {
  await op?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function shell(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Generous: a CLI start on PGlite on a loaded two-core machine takes tens of seconds.
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // oidc-provider warns at import on Node 20 (README: left visible on purpose): a property
      // of the machine, not of the command.
      resolve({ code, output: output.replace(/^oidc-provider WARNING: Unsupported runtime\..*\n/gm, '') });
    });
  });
}

/** Runs one command with the page's shell state, and saves the state it leaves. */
async function runStep(command: string, state: string) {
  const { LOG_LEVEL: _debug, ...settings } = op.env;
  const env = { PATH: process.env.PATH ?? '', HOME: work, TMPDIR: work, LANG: 'C.UTF-8', ...settings, ISSUER: op.issuer };
  const script = [`set -a; if [ -f ${state} ]; then . ${state}; fi`, 'set -eo pipefail', command, 'set +a', `export -p > ${state}`].join('\n');
  return shell(script, env);
}

describe('documentation code blocks', () => {
  it('every shell block is run here or names the test or CI step that covers it; every block has a language', () => {
    const problems = pages.flatMap(({ blocks }) => blocks.map(problemOf)).filter(Boolean);
    expect(problems).toEqual([]);
    expect(pages.flatMap(({ blocks }) => blocks).filter(runnable).length).toBeGreaterThan(10);
  });

  it('the checks refuse what they must', () => {
    const [unlabelled, unnamed, missing, fine] = blocksOf('x.md', [
      '```', 'npm start', '```',
      '<!-- not run: trust me -->', '```sh', 'rm -rf /', '```',
      '<!-- not run: tests/no/such.test.ts -->', '```sh', 'true', '```',
      '<!-- not run: .ci/run installs it -->', '```sh', 'apt-get install x', '```',
    ].join('\n'));
    expect(problemOf(unlabelled!)).toMatch(/without a language/);
    expect(problemOf(unnamed!)).toMatch(/must name the test or CI step/);
    expect(problemOf(missing!)).toMatch(/tests\/no\/such.test.ts, which does not exist/);
    expect(problemOf(fine!)).toBeUndefined();
    expect(outputMatches(['Created client a.', '…', 'x…z'], ['Created client a.', '1', '2', 'xyz'])).toBe(true);
    expect(outputMatches(['Created client a.'], ['Created client b.'])).toBe(false);
    expect(outputMatches(['a'], ['a', 'b'])).toBe(false);
  });
});

for (const { file, blocks } of pages) {
  const run = blocks.filter(runnable);
  if (!run.length) continue;
  describe(file, () => {
    for (const block of run) {
      const skip = skipReason(file, block);
      it.skipIf(!!skip)(`${file}:${block.line}${skip ? ` (SKIPPED on the embedded leg: ${skip})` : ''}`, async () => {
        if (embedded && usesCli(block.text)) await op.suspend();
        else await op.resume();
        for (const step of stepsOf(block)) {
          const result = await runStep(step.command, join(work, '.docs-shell-state'));
          expect({ command: step.command, code: result.code }, result.output).toEqual({ command: step.command, code: block.run.exitCode });
          if (block.language === 'console') {
            expect(outputMatches(step.output, result.output.split('\n')), `${file}:${block.line}: \`${step.command}\` printed:\n${result.output}\nthe page shows:\n${step.output.join('\n')}`).toBe(true);
          }
        }
      }, 600_000);
    }
  });
}
