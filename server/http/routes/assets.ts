/** Static assets (stylesheet, logo), read once at startup and served with a long cache lifetime. */
import Router from '@koa/router';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { publicDir } from '../../../config/paths.js';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.js': 'text/javascript; charset=utf-8' };

export function assetRoutes(): Router {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(publicDir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(name, { body: readFileSync(join(publicDir, name)), type });
  }
  const router = new Router();
  router.get('/assets/:name', (ctx) => {
    const file = files.get(ctx.params.name ?? '');
    if (!file) return;
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = file.body;
  });
  return router;
}
