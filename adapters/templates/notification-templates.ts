/**
 * The TemplateRenderer port over Eta: views/notifications/email/<template>/<locale>.{subject,text,html}.eta
 * and views/notifications/sms/<template>/<locale>.eta. HTML parts are rendered with escaping on
 * (`<%= %>` escapes), so data cannot smuggle markup in; subject, text and SMS are plain text,
 * where HTML escaping would corrupt links (`&` → `&amp;`), so they are rendered unescaped and the
 * subject is folded onto one line (no header injection downstream). The HTML body is wrapped in
 * views/notifications/email/layout.eta. A locale without its own
 * files falls back to `en`; the locale that was used is the one `it.lang` and `it.t` speak.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Eta } from 'eta';
import { viewsDir } from '../../config/paths.js';
import type { Channel, RenderedEmail, RenderedSms, TemplateRenderer } from '../../server/modules/notifications/index.js';

type Translate = (id: string, values?: Record<string, string | number>) => string;

export interface NotificationTemplateOptions {
  /** Re-read templates on every render (development, while they are being edited). */
  cache: boolean;
  translator(locale: string): Translate;
  productName: string;
  root?: string;
}

const FALLBACK = 'en';
// Template ids become path segments: only lower-case words joined by dashes reach the file system.
const TEMPLATE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const LOCALE = /^[a-z]{2,3}$/;

export function createNotificationTemplates(options: NotificationTemplateOptions): TemplateRenderer {
  const root = options.root ?? join(viewsDir, 'notifications');
  const html = new Eta({ views: root, cache: options.cache, autoEscape: true, autoTrim: false });
  const plain = new Eta({ views: root, cache: options.cache, autoEscape: false, autoTrim: false });

  const probe = (channel: Channel, template: string) => (channel === 'email' ? `${FALLBACK}.subject.eta` : `${FALLBACK}.eta`);
  const has = (channel: Channel, template: string) => TEMPLATE_ID.test(template) && existsSync(join(root, channel, template, probe(channel, template)));

  function localeFor(channel: Channel, template: string, locale: string): string {
    if (!has(channel, template)) throw new Error(`no ${channel} template named ${template}`);
    const primary = locale.toLowerCase().split('-')[0] ?? FALLBACK;
    const file = channel === 'email' ? `${primary}.subject.eta` : `${primary}.eta`;
    return LOCALE.test(primary) && existsSync(join(root, channel, template, file)) ? primary : FALLBACK;
  }

  const context = (lang: string, data: Record<string, string>) => ({ ...data, productName: options.productName, lang, t: options.translator(lang) });

  return {
    has,
    renderEmail(template, locale, data): RenderedEmail {
      const lang = localeFor('email', template, locale);
      const it = context(lang, data);
      // A subject is one line: a newline in data must not start a header of its own downstream.
      const subject = plain.render(`./email/${template}/${lang}.subject.eta`, it).replace(/\s+/g, ' ').trim();
      const text = plain.render(`./email/${template}/${lang}.text.eta`, it);
      const body = html.render(`./email/${template}/${lang}.html.eta`, it);
      return { subject, text, html: html.render('./email/layout.eta', { ...it, subject, body }) };
    },
    renderSms(template, locale, data): RenderedSms {
      const lang = localeFor('sms', template, locale);
      return { body: plain.render(`./sms/${template}/${lang}.eta`, context(lang, data)).trim() };
    },
  };
}
