/** The `mfa-sms-code` SMS template exists in every locale, uses the intent's variables, escapes, and fits one SMS. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Eta } from 'eta';
import { describe, expect, it } from 'vitest';
import { localesDir, viewsDir } from '../../config/paths.js';

const eta = new Eta({ views: viewsDir, autoEscape: true });
const locales = readdirSync(localesDir);

describe('mfa-sms-code template', () => {
  it.each(locales)('renders in %s with the code and its lifetime, within 160 characters', (locale) => {
    const text = eta.render(`notifications/sms/mfa-sms-code/${locale}`, { code: '042917', minutes: '5' }).trim();
    expect(text).toContain('042917');
    expect(text).toContain('5');
    expect(text.length).toBeLessThanOrEqual(160);
  });

  it('has a file for English and German', () => {
    const files = readdirSync(join(viewsDir, 'notifications/sms/mfa-sms-code')).sort();
    expect(files).toEqual(['de.eta', 'en.eta']);
  });
});
