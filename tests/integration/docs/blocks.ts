/**
 * The fenced code blocks of README.md and docs/*.md, and what the docs say about running them.
 * A shell block (sh, bash, shell, console) is run by commands.test.ts unless the line right
 * before it is `<!-- not run: why, naming the test or CI step that covers it -->`; the runner
 * checks that the named file exists. `<!-- run: postgres -->` runs a block only when the test
 * database is Postgres (it needs `$DATABASE_URL`); `<!-- run: exit 1 -->` expects that exit code.
 * Every fence must name its language, so a command cannot hide in an unlabelled block.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../config/paths.js';

export const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console']);

export interface Block {
  /** Path relative to the project root, e.g. `docs/cli.md`. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  text: string;
  /** The reason given by a `not run:` marker. */
  notRun?: string;
  /** Options of a `run:` marker. */
  run: { postgresOnly: boolean; exitCode: number };
}

/** README.md first, then docs/*.md in name order. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(projectRoot, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const NOT_RUN = /^<!--\s*not run:\s*([\s\S]*?)\s*-->$/;
const RUN = /^<!--\s*run:\s*([^>]*?)\s*-->$/;

/** @throws Error on a fence left open or a `run:` marker with an unknown option. */
export function blocksOf(file: string, source: string = readFileSync(join(projectRoot, file), 'utf8')): Block[] {
  const lines = source.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, language] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j += 1) {
      const close = lines[j]!;
      if (close.trim().startsWith(fence) && close.trim().replace(new RegExp(`^${fence[0]}+`), '') === '') break;
      body.push(close.startsWith(indent) ? close.slice(indent.length) : close);
    }
    if (j >= lines.length) throw new Error(`${file}:${i + 1}: the code block opened here is never closed`);
    const before = (lines[i - 1] ?? '').trim();
    const notRun = NOT_RUN.exec(before)?.[1];
    const run = { postgresOnly: false, exitCode: 0 };
    const options = RUN.exec(before)?.[1];
    for (const option of options ? options.split(',').map((o) => o.trim()) : []) {
      const exit = /^exit (\d+)$/.exec(option);
      if (option === 'postgres') run.postgresOnly = true;
      else if (exit) run.exitCode = Number(exit[1]);
      else throw new Error(`${file}:${i}: unknown run option ${JSON.stringify(option)} (postgres, exit N)`);
    }
    blocks.push({ file, line: i + 1, language, text: body.join('\n'), ...(notRun === undefined ? {} : { notRun }), run });
    i = j;
  }
  return blocks;
}

/**
 * What is wrong with a block as documentation that cannot rot: @returns a message, or undefined.
 * A `not run` reason must name an existing test file or CI step (`tests/…`, `.ci/run`).
 */
export function problemOf(block: Block): string | undefined {
  const where = `${block.file}:${block.line}`;
  if (!block.language) return `${where}: a code block without a language (write \`\`\`sh, \`\`\`json, \`\`\`text …)`;
  if (!SHELL_LANGUAGES.has(block.language)) return undefined;
  if (block.notRun === undefined) return undefined;
  const named = [...block.notRun.matchAll(/(tests\/[\w./-]+\.ts|\.ci\/run)/g)].map((m) => m[1]!);
  if (!named.length) return `${where}: "not run" must name the test or CI step that covers the block (tests/….ts or .ci/run)`;
  const missing = named.filter((path) => !existsSync(join(projectRoot, path)));
  return missing.length ? `${where}: "not run" names ${missing.join(', ')}, which does not exist` : undefined;
}

/** A `console` block: `$ command` lines (continued by a trailing `\`) and the output each shows. */
export interface Step {
  command: string;
  output: string[];
}

export function stepsOf(block: Block): Step[] {
  if (block.language !== 'console') return [{ command: block.text, output: [] }];
  const steps: Step[] = [];
  let continuing = false;
  for (const line of block.text.split('\n')) {
    if (continuing) {
      steps.at(-1)!.command += `\n${line}`;
      continuing = line.endsWith('\\');
    } else if (line.startsWith('$ ')) {
      steps.push({ command: line.slice(2), output: [] });
      continuing = line.endsWith('\\');
    } else if (steps.length) {
      steps.at(-1)!.output.push(line);
    } else if (line.trim()) {
      throw new Error(`${block.file}:${block.line}: a console block starts with "$ command"`);
    }
  }
  return steps;
}

/**
 * Does the output match what the docs show? Each shown line must equal the actual one, where `…`
 * stands for any text within the line and a line of only `…` for any number of lines. Trailing
 * blank lines and trailing spaces are ignored.
 */
export function outputMatches(shown: string[], actual: string[]): boolean {
  const trim = (lines: string[]) => {
    const out = lines.map((l) => l.trimEnd());
    while (out.length && out.at(-1) === '') out.pop();
    return out;
  };
  const want = trim(shown);
  const got = trim(actual);
  const linePattern = (line: string) => new RegExp(`^${line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const match = (w: number, g: number): boolean => {
    if (w === want.length) return g === got.length;
    if (want[w] === '…') {
      for (let k = g; k <= got.length; k += 1) if (match(w + 1, k)) return true;
      return false;
    }
    return g < got.length && linePattern(want[w]!).test(got[g]!) && match(w + 1, g + 1);
  };
  return match(0, 0);
}
