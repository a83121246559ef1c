/**
 * Every self-service message exists in English and German, in each part its channel needs, and
 * renders its variables escaped (a name like "<b>" must not become markup in the HTML part).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Eta } from 'eta';
import { describe, expect, it } from 'vitest';
import { viewsDir } from '../../../config/paths.js';

const eta = new Eta({ views: join(viewsDir, 'notifications'), autoEscape: true, cache: false });
const data = {
  username: '<b>alice</b>',
  link: 'https://id.example.com/account/verify?token=abc',
  code: '123456',
  minutes: '30',
  newEmail: 'n***@example.com',
  resetLink: 'https://id.example.com/account/recover',
  accountLink: 'https://id.example.com/account',
  time: '2026-11-28 10:00 UTC',
  device: 'Firefox on Linux',
  ip: '192.0.2.1',
};
const EMAILS = ['verify-email', 'password-reset', 'new-device', 'email-changed', 'account-exists'];

describe('self-service message templates', () => {
  for (const locale of ['en', 'de']) {
    for (const template of EMAILS) {
      it(`email ${template} (${locale}) has subject, text and html`, () => {
        for (const part of ['subject', 'text', 'html']) {
          const file = `email/${template}/${locale}.${part}.eta`;
          expect(existsSync(join(viewsDir, 'notifications', file)), file).toBe(true);
          const out = eta.render(file, data);
          expect(out.trim().length).toBeGreaterThan(5);
          expect(out).not.toContain('undefined');
          if (part === 'html') expect(out).not.toContain('<b>alice</b>');
        }
      });
    }
    it(`sms verify-phone (${locale}) carries the code`, () => {
      expect(eta.render(`sms/verify-phone/${locale}.eta`, data)).toContain('123456');
    });
  }

  it('puts the link and the code where they belong', () => {
    const text = eta.render('email/verify-email/en.text.eta', data);
    expect(text).toContain(data.link);
    expect(text).toContain(data.code);
    expect(eta.render('email/password-reset/de.html.eta', data)).toContain('href="https://id.example.com/account/verify?token=abc"');
  });
});
