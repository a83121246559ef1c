/**
 * Server-side rendering with Eta: templates in views/, output escaped by default (`<%= %>`);
 * raw output (`<%~ %>`) is used only for trusted partials and layout bodies. Every template gets
 * `it.t(id, values)` for its page locale and `it.lang` for the html lang attribute.
 */
import { Eta } from 'eta';
import { viewsDir } from '../../config/paths.js';
import { DEFAULT_LOCALE, type Translate, type Translations } from './i18n.js';

export interface PageChrome {
  title: string;
  /** Page locale, from negotiateLocale; English when absent. */
  locale?: string;
  /** Sources allowed in form-action besides 'self' (e.g. the client's redirect origins). */
  formTargets?: string[];
}

export interface Renderer {
  render(template: string, data: Record<string, unknown> & PageChrome): string;
  /** Locales that have catalogues, English first. */
  readonly locales: readonly string[];
  /** Messages of one locale, for text built outside a template (page titles, flash messages). */
  translator(locale: string): Translate;
}

/** @param options.logoUrl shown at the top of every page (BRAND_LOGO_URL). */
export function createRenderer(options: { cache: boolean; productName: string; translations: Translations; logoUrl?: string | undefined }): Renderer {
  const eta = new Eta({ views: viewsDir, cache: options.cache, autoEscape: true, autoTrim: false });
  const { translations } = options;
  return {
    locales: translations.locales,
    translator: (locale) => translations.translator(locale),
    render(template, data) {
      const lang = data.locale ?? DEFAULT_LOCALE;
      return eta.render(template, { productName: options.productName, logoUrl: options.logoUrl, lang, t: translations.translator(lang), ...data });
    },
  };
}
