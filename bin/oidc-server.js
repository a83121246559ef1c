#!/usr/bin/env node
// The CLI runs from the compiled output; `npm run build` (run by `npm start` and `npm run cli`) creates it.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'scripts', 'cli.js');
if (!existsSync(cli)) {
  console.error('oidc-server is not built yet: run `npm run build` first.');
  process.exit(1);
}
await import(cli);
