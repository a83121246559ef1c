/**
 * `npm run docs:config`: regenerates .env.example and the configuration table of README.md from
 * config/schema.ts, the one place settings are declared. tests/unit/config-docs.test.ts fails
 * when either is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { settings, type Setting } from '../../config/schema.js';

const entries = Object.entries(settings) as Array<[string, Setting]>;

export function envExample(): string {
  const lines = [
    '# Every setting of the provider, with its default. Copy to .env or set in the environment.',
    '# Development needs none of them: `npm install && npm start` runs on the embedded database.',
    '',
  ];
  for (const [name, setting] of entries) {
    lines.push(`# ${setting.description}`, setting.default === undefined ? `# ${name}=` : `${name}=${setting.default}`, '');
  }
  return lines.join('\n');
}

export function readmeTable(): string {
  const rows = ['| Variable | Default | Meaning |', '|---|---|---|'];
  for (const [name, setting] of entries) {
    rows.push(`| \`${name}\` | ${setting.default === undefined ? '—' : `\`${setting.default}\``} | ${setting.description.replace(/\|/g, '\\|')} |`);
  }
  return rows.join('\n');
}

const START = '<!-- config:start -->';
const END = '<!-- config:end -->';

function main() {
  writeFileSync(join(projectRoot, '.env.example'), envExample());
  const readmePath = join(projectRoot, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md needs ${START} and ${END} around the configuration table`);
  writeFileSync(readmePath, `${readme.slice(0, from + START.length)}\n${readmeTable()}\n${readme.slice(to)}`);
  console.log('Wrote .env.example and the README configuration table.');
}

main();
