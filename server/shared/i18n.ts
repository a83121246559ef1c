/**
 * What translated text looks like to every layer: message ids resolved per locale. The catalogues
 * and i18next live in adapters/i18n; pages, notifications and the provider's own pages only see
 * these types and the locale negotiation rule.
 */
export const DEFAULT_LOCALE = 'en';

export type Translate = (id: string, values?: Record<string, string | number>) => string;

export interface Translations {
  locales: readonly string[];
  translator(locale: string): Translate;
}

/** The one thing locale negotiation needs of a request (Koa's ctx has it). */
export interface AcceptsLanguages {
  acceptsLanguages(languages: string[]): string | false;
}

/**
 * The page locale: the first of the client's `ui_locales` we support (OIDC Core 3.1.2.1, by
 * primary language subtag), else the browser's Accept-Language, else English.
 */
export function negotiateLocale(request: AcceptsLanguages, supported: readonly string[], uiLocales?: string): string {
  for (const tag of (uiLocales ?? '').split(' ').filter(Boolean)) {
    const primary = tag.toLowerCase().split('-')[0]!;
    if (supported.includes(primary)) return primary;
  }
  const accepted = request.acceptsLanguages([...supported]);
  return typeof accepted === 'string' ? accepted : DEFAULT_LOCALE;
}
