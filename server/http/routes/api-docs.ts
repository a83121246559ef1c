/**
 * The admin API's reference at /admin/v1/docs: Swagger UI served from the swagger-ui-dist
 * package (no CDN, nothing fetched at run time) over the API's own OpenAPI document. Strict
 * CSP holds: the page has no inline script or style (its start-up code is public/api-docs.js),
 * Swagger UI styles elements through the CSSOM, which style-src does not restrict. public/api-docs.css
 * corrects its colours and layout, and public/api-docs.js its configuration and unnamed controls,
 * for WCAG 2.2 AA. The files are read once at start and cached by the browser for an hour.
 */
import Router from '@koa/router';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { publicDir } from '../../../config/paths.js';

const FILES: Record<string, { path: () => string; type: string }> = {
  'swagger-ui.css': { path: () => join(distDir(), 'swagger-ui.css'), type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { path: () => join(distDir(), 'swagger-ui-bundle.js'), type: 'text/javascript; charset=utf-8' },
  'api-docs.js': { path: () => join(publicDir, 'api-docs.js'), type: 'text/javascript; charset=utf-8' },
  'api-docs.css': { path: () => join(publicDir, 'api-docs.css'), type: 'text/css; charset=utf-8' },
};

function distDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>Admin API reference</title>
  <link rel="stylesheet" href="/admin/v1/docs/swagger-ui.css">
  <link rel="stylesheet" href="/admin/v1/docs/api-docs.css">
  <script src="/admin/v1/docs/swagger-ui-bundle.js" defer></script>
  <script src="/admin/v1/docs/api-docs.js" defer></script>
</head>
<body>
  <main id="api-docs" data-spec="/admin/v1/openapi.json"><h1>Admin API reference</h1><p>Loading…</p></main>
</body>
</html>
`;

export function apiDocsRoutes(): Router {
  const files = new Map(Object.entries(FILES).map(([name, file]) => [name, { body: readFileSync(file.path()), type: file.type }]));
  const router = new Router();
  router.get('/admin/v1/docs', (ctx) => {
    ctx.type = 'html';
    ctx.body = PAGE;
  });
  router.get('/admin/v1/docs/:name', (ctx) => {
    const file = files.get(ctx.params.name ?? '');
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  });
  return router;
}
