import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { createTranslations, loadCatalogues } from '../../adapters/i18n/i18next-translations.js';
import { negotiateLocale } from '../../server/shared/i18n.js';

/** Flattens a catalogue into dotted ids so locales can be compared id by id. */
function ids(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === 'object' ? ids(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
/** `throttled_one` and `throttled_other` are one message (i18next's plural suffixes). */
const pluralBase = (id: string) => id.replace(PLURAL, '');

/** A real Koa context, so Accept-Language goes through the same negotiator as in the server. */
function acceptsFrom(header: string) {
  const request = new IncomingMessage(new Socket());
  request.headers['accept-language'] = header;
  return new Koa().createContext(request, new ServerResponse(request));
}

describe('translations', () => {
  const catalogues = loadCatalogues();

  it('ships English and at least one more locale', () => {
    expect(Object.keys(catalogues)).toContain('en');
    expect(Object.keys(catalogues).length).toBeGreaterThan(1);
  });

  it('ships French and Spanish besides English and German', () => {
    expect(Object.keys(catalogues).sort()).toEqual(expect.arrayContaining(['de', 'en', 'es', 'fr']));
  });

  it('every locale has exactly the message ids English has (plural forms counted as one id)', () => {
    const english = [...new Set(ids(catalogues.en!).map(pluralBase))].sort();
    for (const [locale, areas] of Object.entries(catalogues)) {
      expect({ locale, ids: [...new Set(ids(areas).map(pluralBase))].sort() }).toEqual({ locale, ids: english });
    }
  });

  it('every plural message has each form its language needs (Intl.PluralRules), as i18next picks them', () => {
    const plurals = [...new Set(ids(catalogues.en!).filter((id) => PLURAL.test(id)).map(pluralBase))];
    expect(plurals.length).toBeGreaterThan(0);
    for (const [locale, areas] of Object.entries(catalogues)) {
      const present = new Set(ids(areas));
      const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      for (const id of plurals) {
        expect({ locale, id, missing: forms.filter((form) => !present.has(`${id}_${form}`)) }).toEqual({ locale, id, missing: [] });
      }
    }
  });

  it('plurals come from i18next: "1 second", "2 seconds", "1 seconde", "5 segundos"', () => {
    const translations = createTranslations(catalogues);
    expect(translations.translator('en')('login.throttledSeconds', { count: 1 })).toMatch(/in 1 second\.$/);
    expect(translations.translator('en')('login.throttledSeconds', { count: 2 })).toMatch(/in 2 seconds\.$/);
    expect(translations.translator('fr')('mfa.throttled', { count: 1 })).toMatch(/dans 1 seconde\.$/);
    expect(translations.translator('es')('mfa.throttled', { count: 5 })).toMatch(/en 5 segundos\.$/);
    expect(translations.translator('de')('account.codesLeft', { count: 1 })).toBe('1 Wiederherstellungscode übrig');
  });

  it('translates, interpolates without escaping (templates escape) and falls back to English', () => {
    const translations = createTranslations({
      en: { demo: { hello: 'Hello {{name}}', only: 'English only' } },
      de: { demo: { hello: 'Hallo {{name}}' } },
    });
    expect(translations.translator('de')('demo.hello', { name: '<b>' })).toBe('Hallo <b>');
    expect(translations.translator('de')('demo.only')).toBe('English only');
    expect(translations.translator('xx')('demo.hello', { name: 'x' })).toBe('Hello x');
  });
});

describe('negotiateLocale', () => {
  const supported = ['en', 'de'];
  it('prefers the first supported ui_locales entry, by primary subtag', () => {
    expect(negotiateLocale(acceptsFrom('en'), supported, 'fr-CA de-AT en')).toBe('de');
  });
  it('falls back to Accept-Language, then English', () => {
    expect(negotiateLocale(acceptsFrom('fr, de;q=0.8'), supported)).toBe('de');
    expect(negotiateLocale(acceptsFrom('fr'), supported, 'ja')).toBe('en');
    expect(negotiateLocale(acceptsFrom('de-CH, en;q=0.5'), supported)).toBe('de');
  });
});
