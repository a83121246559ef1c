/**
 * The console calls the admin API through types generated from its OpenAPI document
 * (console/admin-api.d.ts): this fails when an operation, parameter or schema changed and the
 * types were not regenerated (`npm run console:types`), so the console cannot drift from the API.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleTypesSource, adminApiDocument } from '../../scripts/docs/console-types-source.js';

describe('the console API client types', () => {
  it('are exactly what openapi-typescript generates from the current document', async () => {
    const committed = readFileSync(join(process.cwd(), 'console', 'admin-api.d.ts'), 'utf8');
    expect(committed === (await consoleTypesSource()), 'console/admin-api.d.ts is stale: run npm run console:types').toBe(true);
  });

  it('cover every operation of the document', () => {
    const committed = readFileSync(join(process.cwd(), 'console', 'admin-api.d.ts'), 'utf8');
    const paths = adminApiDocument().paths as Record<string, Record<string, { operationId: string }>>;
    const ids = Object.values(paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) expect(committed, id).toContain(`${id}: {`);
  });
});
