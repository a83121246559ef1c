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

  it('every locale has exactly the message ids English has', () => {
    const english = ids(catalogues.en!).sort();
    for (const [locale, areas] of Object.entries(catalogues)) {
      expect({ locale, ids: ids(areas).sort() }).toEqual({ locale, ids: english });
    }
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
