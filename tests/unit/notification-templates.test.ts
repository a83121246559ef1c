/**
 * Notification templates: every template exists in English and German with all its parts; HTML
 * escapes data while text and SMS keep it verbatim; subjects stay on one line; an unsupported
 * locale falls back to English; the preview command's arguments and output.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { viewsDir } from '../../config/paths.js';
import { previewRequest, previewTemplate } from '../../server/modules/notifications/index.js';
import { templates } from '../helpers/outbox.js';

const root = join(viewsDir, 'notifications');
const dirs = (channel: string) => readdirSync(join(root, channel), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

describe('template files', () => {
  it('every email template has subject, text and html in every locale (en, de, es, fr)', () => {
    expect(dirs('email').length).toBeGreaterThan(0);
    for (const template of dirs('email')) {
      expect({ template, files: readdirSync(join(root, 'email', template)).sort() }).toEqual({
        template,
        files: ['de', 'en', 'es', 'fr'].flatMap((l) => [`${l}.html.eta`, `${l}.subject.eta`, `${l}.text.eta`]),
      });
    }
  });

  it('every SMS template exists in every locale (en, de, es, fr)', () => {
    for (const template of dirs('sms')) expect({ template, files: readdirSync(join(root, 'sms', template)).sort() }).toEqual({ template, files: ['de.eta', 'en.eta', 'es.eta', 'fr.eta'] });
  });
});

describe('rendering', () => {
  const renderer = templates();
  const data = { link: 'https://id.example.com/r?t=1&u=<script>alert(1)</script>', expiresInMinutes: '30' };

  it('escapes data in HTML and keeps it verbatim in text', () => {
    const email = renderer.renderEmail('password-reset', 'en', data);
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;');
    expect(email.html).toContain('lang="en"');
    expect(email.text).toContain(data.link);
    expect(email.subject).toBe('Reset your Example ID password');
  });

  it('folds a subject onto one line, whatever the data holds', () => {
    const email = renderer.renderEmail('verify-email', 'en', { ...data, productName: 'x' });
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('speaks German for de and de-CH, French for fr, English for a locale without templates', () => {
    expect(renderer.renderEmail('verify-email', 'de-CH', data).subject).toContain('Bestätigen');
    expect(renderer.renderEmail('verify-email', 'de', data).html).toContain('Diese Nachricht wurde von Example ID gesendet');
    expect(renderer.renderEmail('verify-email', 'fr', data).subject).toBe('Confirmez votre adresse e-mail pour Example ID');
    expect(renderer.renderEmail('verify-email', 'it', data).subject).toBe('Confirm your email address for Example ID');
    expect(renderer.renderSms('mfa-code', 'zz', { code: '123456', expiresInMinutes: '5' }).body).toMatch(/^123456 is your Example ID sign-in code/);
  });

  it('knows which templates exist and refuses path tricks', () => {
    expect(renderer.has('email', 'verify-email')).toBe(true);
    expect(renderer.has('sms', 'verify-email')).toBe(false);
    expect(renderer.has('email', '../email/verify-email')).toBe(false);
    expect(() => renderer.renderEmail('nope', 'en', {})).toThrow();
  });
});

describe('templates preview', () => {
  it('builds its request from the parsed options', () => {
    expect(previewRequest({ template: 'verify-email', locale: 'de', channel: 'email', data: ['link=https://x/?a=b', 'expiresInMinutes=5'] })).toEqual({
      template: 'verify-email',
      channel: 'email',
      locale: 'de',
      data: { link: 'https://x/?a=b', expiresInMinutes: '5' },
    });
    expect(previewRequest({ template: 'x', data: [] })).toEqual({ template: 'x', channel: undefined, locale: 'en', data: {} });
    expect(() => previewRequest({ template: 'x', channel: 'fax', data: [] })).toThrow('email or sms');
    expect(() => previewRequest({ template: 'x', data: ['novalue'] })).toThrow('key=value');
  });

  it('prints subject, text and HTML of an email, or an SMS body', () => {
    const renderer = templates();
    const email = previewTemplate({ templates: renderer }, { template: 'verify-email', channel: undefined, locale: 'de', data: { link: 'https://x', expiresInMinutes: '5' } });
    expect(email).toMatch(/^Subject: Bestätigen Sie Ihre E-Mail-Adresse für Example ID\n/);
    expect(email).toContain('----- text/html -----\n<!doctype html>');
    const sms = previewTemplate({ templates: renderer }, { template: 'mfa-code', channel: undefined, locale: 'en', data: { code: '42', expiresInMinutes: '5' } });
    expect(sms).toContain('42 is your Example ID sign-in code');
    expect(() => previewTemplate({ templates: renderer }, { template: 'nope', channel: undefined, locale: 'en', data: {} })).toThrow('no email or SMS template named nope');
  });
});
