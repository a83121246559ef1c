/**
 * Configuration is documented once, in config/schema.ts; `.env.example` and the README must
 * mention every setting so the documentation cannot drift from the code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/paths.js';
import { settings } from '../../config/schema.js';

const names = Object.keys(settings);

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

  it('README.md mentions every setting', () => {
    const text = read('README.md');
    expect(names.filter((name) => !new RegExp(`\\b${name}\\b`).test(text))).toEqual([]);
  });
});
