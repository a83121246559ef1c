/** How the product presents itself on pages and in messages. */
import { z } from 'zod';
import { url } from './kinds.js';
import { optional, setting } from './setting.js';

export const branding = z.object({
  BRAND_NAME: setting(z.string().trim().min(1, 'must not be blank').max(64, 'must be at most 64 characters'), 'Sign in', 'Product name shown on the sign-in and account pages and in emails and SMS.'),
  BRAND_LOGO_URL: optional(url(['https:']), 'Logo shown at the top of the sign-in pages (an https URL; the pages\' CSP allows https images).'),
});
