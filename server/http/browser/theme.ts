/**
 * The page theme from one brand colour (BRAND_PRIMARY_COLOR): the custom properties the built-in
 * stylesheet reads, with the contrast WCAG 2.2 AA asks for whatever colour an operator picks —
 * button text 4.5:1 on the button (white or near-black, whichever reads better), links 4.5:1 and
 * focus rings 3:1 (SC 1.4.11) on the white card, darkening the colour until they are.
 */
type Rgb = [number, number, number];

const CARD: Rgb = [255, 255, 255];
const DARK_TEXT: Rgb = [29, 35, 48];

function parse(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const toHex = (rgb: Rgb) => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;

/** Relative luminance, WCAG 2.2 definition. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: Rgb | string, b: Rgb | string): number {
  const [la, lb] = [typeof a === 'string' ? parse(a) : a, typeof b === 'string' ? parse(b) : b].map(luminance) as [number, number];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The colour mixed towards black until it reaches `ratio` against the card. */
function darkenedTo(rgb: Rgb, ratio: number): Rgb {
  let current = rgb;
  for (let step = 0; contrast(current, CARD) < ratio && step < 40; step += 1) current = current.map((c) => c * 0.95) as Rgb;
  return current;
}

export interface Theme {
  primary: string;
  primaryText: string;
  link: string;
  focus: string;
}

export function themeFrom(primaryHex: string): Theme {
  const primary = parse(primaryHex);
  const primaryText = contrast(primary, CARD) >= contrast(primary, DARK_TEXT) ? CARD : DARK_TEXT;
  // A button whose text cannot reach 4.5:1 either way is darkened until white text does.
  const button = contrast(primary, primaryText) >= 4.5 ? primary : darkenedTo(primary, 4.5);
  const buttonText = button === primary ? primaryText : CARD;
  const link = darkenedTo(primary, 4.5);
  return { primary: toHex(button), primaryText: toHex(buttonText), link: toHex(link), focus: toHex(link) };
}

/** The stylesheet served as /assets/theme.css, loaded after the built-in one. */
export function themeStylesheet(theme: Theme): string {
  return `:root {\n  --color-primary: ${theme.primary};\n  --color-primary-text: ${theme.primaryText};\n  --color-link: ${theme.link};\n  --color-focus: ${theme.focus};\n}\n`;
}
