/**
 * Every self-service message exists in English, German, French and Spanish (each in its own words, not
 * the English fallback), in each part its channel needs, and
 * renders its variables escaped (a name like "<b>" must not become markup in the HTML part).
 */
import { describe, expect, it } from 'vitest';
import { createNotificationTemplates } from '../../../adapters/templates/notification-templates.js';
import { createTranslations } from '../../../adapters/i18n/i18next-translations.js';

const translations = createTranslations();
// The renderer the outbox worker uses, so layout and escaping are what people receive.
const templates = createNotificationTemplates({ cache: false, translator: (locale) => translations.translator(locale), productName: 'Example ID' });
const data = {
  username: '<b>alice</b>',
  link: 'https://id.example.com/account/verify?token=abc',
  code: '123456',
  expiresInMinutes: '30',
  newEmail: 'n***@example.com',
  resetLink: 'https://id.example.com/account/recover',
  accountLink: 'https://id.example.com/account',
  time: '2026-11-28 10:00 UTC',
  device: 'Firefox on Linux',
  ip: '192.0.2.1',
};
const EMAILS = ['verify-email', 'password-reset', 'new-device', 'email-changed', 'account-exists'];

describe('self-service message templates', () => {
  for (const locale of ['en', 'de', 'fr', 'es']) {
    for (const template of EMAILS) {
      it(`email ${template} (${locale}) has subject, text and html`, () => {
        const email = templates.renderEmail(template, locale, data);
        if (locale !== 'en') expect(email.subject).not.toBe(templates.renderEmail(template, 'en', data).subject);
        for (const part of [email.subject, email.text, email.html]) {
          expect(part.trim().length).toBeGreaterThan(5);
          expect(part).not.toContain('undefined');
        }
        expect(email.html).not.toContain('<b>alice</b>');
        expect(email.html.match(/<html/g)).toHaveLength(1);
      });
    }
    it(`sms verify-phone and mfa-code (${locale}) carry the code`, () => {
      for (const sms of ['verify-phone', 'mfa-code']) {
        const body = templates.renderSms(sms, locale, data).body;
        expect(body).toContain('123456');
        if (locale !== 'en') expect(body).not.toBe(templates.renderSms(sms, 'en', data).body);
      }
    });
  }

  it('puts the link and the code where they belong', () => {
    const { text } = templates.renderEmail('verify-email', 'en', data);
    expect(text).toContain(data.link);
    expect(text).toContain(data.code);
    expect(templates.renderEmail('password-reset', 'de', data).html).toContain('href="https://id.example.com/account/verify?token=abc"');
  });
});
