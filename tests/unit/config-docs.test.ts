/**
 * Configuration is documented once, in config/schema.ts; `.env.example` and docs/configuration.md must
 * mention every setting, and be exactly what `npm run docs:config` generates, so the
 * documentation cannot drift from the code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/paths.js';
import { settingList } from '../../config/schema.js';
import { CONFIG_DOC, envExample, withConfigTable } from '../../scripts/docs/config-docs.js';

const names = settingList.map((s) => s.name);

function read(file: string): string {
  const path = join(projectRoot, file);
  expect(existsSync(path), `${file} is missing`).toBe(true);
  return readFileSync(path, 'utf8');
}

describe('configuration documentation', () => {
  it('.env.example lists every setting as NAME= (commented out or not)', () => {
    const text = read('.env.example');
    const listed = new Set([...text.matchAll(/^[ \t]*#?[ \t]*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
  });

  it(`${CONFIG_DOC} mentions every setting`, () => {
    const text = read(CONFIG_DOC);
    expect(names.filter((name) => !new RegExp(`\\b${name}\\b`).test(text))).toEqual([]);
  });

  it(`.env.example and the table of ${CONFIG_DOC} are what \`npm run docs:config\` generates`, () => {
    expect(read('.env.example')).toBe(envExample());
    const page = read(CONFIG_DOC);
    expect(page).toBe(withConfigTable(page));
  });

  it('declares every setting once, with a description', () => {
    expect(new Set(names).size).toBe(names.length);
    expect(settingList.filter((s) => s.description.trim().length < 10).map((s) => s.name)).toEqual([]);
  });
});
