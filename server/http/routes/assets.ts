/**
 * Static assets (stylesheet, logo, page scripts), read once at startup and served with a long
 * cache lifetime; plus the files the configuration makes (the theme, the operator's stylesheet).
 * The WebAuthn browser library is served from its installed package (never a CDN: CSP
 * script-src 'self', and the version is the one the lockfile pins).
 */
import Router from '@koa/router';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
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
  const browserLibrary = join(dirname(createRequire(import.meta.url).resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');
  files.set('webauthn-browser.js', { body: readFileSync(browserLibrary), type: TYPES['.js']! });
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
