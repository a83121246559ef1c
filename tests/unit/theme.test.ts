/** The page theme from BRAND_PRIMARY_COLOR keeps WCAG AA contrast for any colour an operator picks. */
import { describe, expect, it } from 'vitest';
import { contrast, themeFrom, themeStylesheet } from '../../server/http/browser/theme.js';

const CARD = '#ffffff';

describe('themeFrom', () => {
  it.each(['#2457d6', '#ffcc00', '#00ff00', '#ffffff', '#000000', '#7f7f7f', '#e91e63', '#0a0a0a', '#fefefe'])('%s: button text 4.5:1, links 4.5:1 and focus 3:1 on the card', (hex) => {
    const theme = themeFrom(hex);
    expect(contrast(theme.primaryText, theme.primary)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(theme.link, CARD)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(theme.focus, CARD)).toBeGreaterThanOrEqual(3);
  });

  it('keeps a colour that already has the contrast as it is', () => {
    expect(themeFrom('#2457d6')).toEqual({ primary: '#2457d6', primaryText: '#ffffff', link: '#2457d6', focus: '#2457d6' });
  });

  it('puts dark text on a light button and darkens only the links', () => {
    const theme = themeFrom('#ffcc00');
    expect(theme.primary).toBe('#ffcc00');
    expect(theme.primaryText).toBe('#1d2330');
    expect(theme.link).not.toBe('#ffcc00');
  });

  it('writes the custom properties the built-in stylesheet reads', () => {
    expect(themeStylesheet(themeFrom('#2457d6'))).toBe(':root {\n  --color-primary: #2457d6;\n  --color-primary-text: #ffffff;\n  --color-link: #2457d6;\n  --color-focus: #2457d6;\n}\n');
  });
});
