/** The `mfa-code` SMS the MFA module sends renders in every locale with the code and its lifetime, and fits one SMS. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localesDir } from '../../config/paths.js';
import { createNotificationTemplates } from '../../adapters/templates/notification-templates.js';
import { createTranslations } from '../../adapters/i18n/i18next-translations.js';

const translations = createTranslations();
const templates = createNotificationTemplates({ cache: false, translator: (locale) => translations.translator(locale), productName: 'Example ID' });
const locales = readdirSync(localesDir);

describe('mfa-code template', () => {
  it.each(locales)('renders in %s with the code and its lifetime, within 160 characters', (locale) => {
    const { body } = templates.renderSms('mfa-code', locale, { code: '042917', expiresInMinutes: '5' });
    expect(body).toContain('042917');
    expect(body).toContain('5');
    expect(body.length).toBeLessThanOrEqual(160);
  });
});
