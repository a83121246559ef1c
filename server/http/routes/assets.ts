/**
 * Static assets (stylesheet, logo, page scripts), read once at startup and served with a long
 * cache lifetime; plus the files the configuration makes (the theme, the operator's stylesheet).
 */
import Router from '@koa/router';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { publicDir } from '../../../config/paths.js';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.js': 'text/javascript; charset=utf-8' };

export type Asset = { body: Buffer; type: string };

/** @param generated files by name that the configuration made (theme.css, brand.css). */
export function assetRoutes(generated: ReadonlyMap<string, Asset> = new Map()): Router {
  const files = new Map<string, Asset>(generated);
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
