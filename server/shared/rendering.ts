/**
 * Server-side pages as every layer sees them: a template name and its data in, HTML out. The
 * template engine (Eta) lives in adapters/views.
 */
import type { Translate } from './i18n.js';

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
