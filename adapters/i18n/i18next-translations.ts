/**
 * Translations: message ids resolved per locale through i18next. Catalogues are JSON files in
 * locales/<locale>/<area>.json; the file name is the first segment of the id (`login.title`
 * lives in locales/en/login.json under "title"). English is complete by rule (a unit test
 * compares every locale with it); a missing id falls back to English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type TFunction } from 'i18next';
import { localesDir } from '../../config/paths.js';
import { DEFAULT_LOCALE, type Translate, type Translations } from '../../server/shared/i18n.js';

type Catalogue = Record<string, Record<string, unknown>>;

/** Reads every catalogue once; `locales/<locale>/<area>.json` becomes resources[locale][area]. */
export function loadCatalogues(dir = localesDir): Record<string, Catalogue> {
  const catalogues: Record<string, Catalogue> = {};
  for (const locale of readdirSync(dir)) {
    const areas: Catalogue = {};
    for (const file of readdirSync(join(dir, locale)).filter((name) => name.endsWith('.json'))) {
      areas[file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(join(dir, locale, file), 'utf8')) as Record<string, unknown>;
    }
    catalogues[locale] = areas;
  }
  return catalogues;
}

export function createTranslations(catalogues: Record<string, Catalogue> = loadCatalogues()): Translations {
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(catalogues).map(([locale, areas]) => [locale, { translation: areas }])),
    fallbackLng: DEFAULT_LOCALE,
    // Eta escapes on output; escaping here too would double-escape.
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  const locales = Object.keys(catalogues).sort((a, b) => (a === DEFAULT_LOCALE ? -1 : b === DEFAULT_LOCALE ? 1 : a.localeCompare(b)));
  const cache = new Map<string, Translate>();
  return {
    locales,
    translator(locale) {
      let translate = cache.get(locale);
      if (!translate) {
        const fixed: TFunction = instance.getFixedT(locales.includes(locale) ? locale : DEFAULT_LOCALE);
        translate = (id, values) => fixed(id, values ?? {}) as string;
        cache.set(locale, translate);
      }
      return translate;
    },
  };
}
