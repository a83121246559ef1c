/** `npm run console:types`: regenerates console/admin-api.d.ts from the admin API's OpenAPI document. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/paths.js';
import { consoleTypesSource } from './console-types-source.js';

writeFileSync(join(projectRoot, 'console', 'admin-api.d.ts'), await consoleTypesSource());
console.log('Wrote console/admin-api.d.ts.');
