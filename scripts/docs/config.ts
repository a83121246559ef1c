/**
 * `npm run docs:config`: regenerates .env.example and the configuration table of README.md from
 * config/schema.ts. tests/unit/config-docs.test.ts fails when either is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { envExample, withReadmeTable } from './config-docs.js';

const readmePath = join(projectRoot, 'README.md');
writeFileSync(join(projectRoot, '.env.example'), envExample());
writeFileSync(readmePath, withReadmeTable(readFileSync(readmePath, 'utf8')));
console.log('Wrote .env.example and the README configuration table.');
