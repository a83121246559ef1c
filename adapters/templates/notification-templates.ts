/**
 * The TemplateRenderer port over Eta: views/notifications/email/<template>/<locale>.{subject,text,html}.eta
 * and views/notifications/sms/<template>/<locale>.eta. Output is escaped (`<%= %>`) in every
 * part, the text and subject included: a display name cannot smuggle markup into any of them.
 * The HTML body is wrapped in views/notifications/email/layout.eta. A locale without its own
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
  const eta = new Eta({ views: root, cache: options.cache, autoEscape: true, autoTrim: false });

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
      const subject = eta.render(`./email/${template}/${lang}.subject`, it).replace(/\s+/g, ' ').trim();
      const text = eta.render(`./email/${template}/${lang}.text`, it);
      const body = eta.render(`./email/${template}/${lang}.html`, it);
      const html = eta.render('./email/layout', { ...it, subject, body });
      return { subject, text, html };
    },
    renderSms(template, locale, data): RenderedSms {
      const lang = localeFor('sms', template, locale);
      return { body: eta.render(`./sms/${template}/${lang}`, context(lang, data)).trim() };
    },
  };
}
