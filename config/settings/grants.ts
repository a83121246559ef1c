/** The device authorization grant (RFC 8628) and token exchange (RFC 8693). */
import { z } from 'zod';
import { positiveInt, seconds } from './kinds.js';
import { optional, setting } from './setting.js';

const issuerList = z
  .string()
  .transform((text) => text.split(',').map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be a comma-separated list of issuer URLs' })));

export const grants = z.object({
  DEVICE_CODE_TTL: setting(seconds, '600', 'Lifetime (s) of a device code and its user code (RFC 8628 expires_in).'),
  DEVICE_POLL_INTERVAL: setting(
    seconds,
    '5',
    'Minimum time (s) between two polls of one device code; a device polling faster is answered slow_down (RFC 8628 §3.5).',
  ),
  DEVICE_USER_CODE_LIMIT_IP: setting(
    positiveInt,
    '10',
    'Wrong user codes accepted per IP per DEVICE_USER_CODE_LIMIT_WINDOW before the code page answers 429 (RFC 8628 §5.1: brute force).',
  ),
  DEVICE_USER_CODE_LIMIT_TOTAL: setting(
    positiveInt,
    '500',
    'Wrong user codes accepted from all IPs together per DEVICE_USER_CODE_LIMIT_WINDOW (bounds a distributed guessing attack).',
  ),
  DEVICE_USER_CODE_LIMIT_WINDOW: setting(seconds, '900', 'Window (s) of DEVICE_USER_CODE_LIMIT_IP and DEVICE_USER_CODE_LIMIT_TOTAL.'),
  TOKEN_EXCHANGE_TRUSTED_ISSUERS: optional(
    issuerList,
    'Issuers whose JWTs are accepted as token exchange subject or actor tokens, comma-separated; their keys are fetched from each issuer\'s discovery jwks_uri through the webhook address policy.',
  ),
});
