/**
 * Server-side rendering with Eta: templates in views/, output escaped by default (`<%= %>`);
 * raw output (`<%~ %>`) is used only for trusted partials and layout bodies. Every template gets
 * `it.t(id, values)` for its page locale and `it.lang` for the html lang attribute.
 */
import { Eta } from 'eta';
import { viewsDir } from '../../config/paths.js';
import { DEFAULT_LOCALE, type Translations } from '../../server/shared/i18n.js';
import type { Renderer } from '../../server/shared/rendering.js';

/**
 * @param options.logoUrl shown at the top of every page (BRAND_LOGO_URL).
 * @param options.stylesheets same-origin stylesheets every page loads after the built-in one (the theme, the operator's).
 */
export function createRenderer(options: { cache: boolean; productName: string; translations: Translations; logoUrl?: string | undefined; stylesheets?: string[] }): Renderer {
  const eta = new Eta({ views: viewsDir, cache: options.cache, autoEscape: true, autoTrim: false });
  const { translations } = options;
  return {
    locales: translations.locales,
    translator: (locale) => translations.translator(locale),
    render(template, data) {
      const lang = data.locale ?? DEFAULT_LOCALE;
      return eta.render(template, { productName: options.productName, logoUrl: options.logoUrl, stylesheets: options.stylesheets ?? [], lang, t: translations.translator(lang), ...data });
    },
  };
}
