#!/usr/bin/env node
// `npm start` (and the CLI scripts) build only when a source changed since the last build: a
// start after the first takes no compile time. What counts as a source: the TypeScript folders
// tsconfig.build.json compiles, the tsconfig files and the lockfile (a changed dependency may
// change types). The stamp is written after a successful build, so a failed build runs again.
// Plain JavaScript on purpose: it runs before anything is compiled. It reports on stderr, so a CLI
// command's stdout (a token, an export) stays clean.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const folders = ['server', 'adapters', 'config', 'interactions', 'account', 'console', 'migrations', 'scripts'];
const files = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  // A folder's own mtime changes when a file in it is added, renamed or removed.
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const sources = Math.max(...folders.map((f) => newest(join(root, f))), ...files.map((f) => newest(join(root, f))));
if (built > sources && process.argv[2] !== '--force') process.exit(0);

process.stderr.write(built ? 'Sources changed since the last build: compiling TypeScript (incremental)…\n' : 'First start: compiling TypeScript into dist/ (once; later starts skip this until a source changes)…\n');
const started = Date.now();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
if (result.status !== 0) {
  process.stderr.write('The TypeScript build failed (see above); nothing was started.\n');
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
process.stderr.write(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
