/** How the product presents itself on pages and in messages. */
import { z } from 'zod';
import { url } from './kinds.js';
import { optional } from './setting.js';

/** #rrggbb: what the theme derives its button, link and focus colours from. */
const hexColour = z.string().trim().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb');

export const branding = z.object({
  BRAND_NAME: optional(
    z.string().trim().min(1, 'must not be blank').max(64, 'must be at most 64 characters'),
    'Product name shown on the sign-in and account pages (titles, headings) and in emails and SMS. Defaults to the issuer\'s host name.',
  ),
  BRAND_LOGO_URL: optional(url(['https:']), 'Logo shown at the top of the sign-in pages (an https URL; the pages\' CSP allows https images).'),
  BRAND_PRIMARY_COLOR: optional(
    hexColour,
    'Primary colour of buttons, links and focus rings, as #rrggbb. Links and button text are darkened or inverted where needed to keep WCAG AA contrast (4.5:1 text, 3:1 focus ring).',
  ),
  BRAND_STYLESHEET: optional(
    z.string().trim().min(1),
    'Path of a CSS file served as /assets/brand.css after the built-in styles on every page (read at start; the pages\' CSP allows only same-origin styles).',
  ),
  HOME_URL: optional(url(['https:', 'http:']), 'Where / sends people in production (e.g. your product\'s site). Unset: / shows a minimal page with the product name and a link to /account.'),
});
