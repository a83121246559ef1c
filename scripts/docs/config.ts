/**
 * `npm run docs:config`: regenerates .env.example and the configuration table of
 * docs/configuration.md from config/schema.ts. tests/unit/config-docs.test.ts fails when either
 * is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { CONFIG_DOC, envExample, withConfigTable } from './config-docs.js';

const docPath = join(projectRoot, CONFIG_DOC);
writeFileSync(join(projectRoot, '.env.example'), envExample());
writeFileSync(docPath, withConfigTable(readFileSync(docPath, 'utf8')));
console.log(`Wrote .env.example and the configuration table of ${CONFIG_DOC}.`);
