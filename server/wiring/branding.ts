/**
 * What the branding settings add to every page: the theme stylesheet derived from
 * BRAND_PRIMARY_COLOR and the operator's own stylesheet (BRAND_STYLESHEET), served as
 * same-origin assets so the strict CSP (style-src 'self') holds.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../../config/loader.js';
import type { Asset } from '../http/routes/assets.js';
import { themeFrom, themeStylesheet } from '../http/browser/theme.js';

const CSS = 'text/css; charset=utf-8';

export interface BrandAssets {
  /** Served under /assets/ by name. */
  files: ReadonlyMap<string, Asset>;
  /** What every page links after the built-in stylesheet, in order. */
  stylesheets: string[];
}

/** @throws Error naming BRAND_STYLESHEET when its file cannot be read (the start fails, as for any bad setting). */
export function brandAssets(config: Pick<Config, 'brandPrimaryColor' | 'brandStylesheet'>): BrandAssets {
  const files = new Map<string, Asset>();
  if (config.brandPrimaryColor) files.set('theme.css', { body: Buffer.from(themeStylesheet(themeFrom(config.brandPrimaryColor))), type: CSS });
  if (config.brandStylesheet) {
    try {
      files.set('brand.css', { body: readFileSync(config.brandStylesheet), type: CSS });
    } catch (error) {
      throw new Error(`BRAND_STYLESHEET: cannot read ${config.brandStylesheet} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  return { files, stylesheets: [...files.keys()].map((name) => `/assets/${name}`) };
}
