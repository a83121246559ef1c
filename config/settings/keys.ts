/** Secrets and signing keys: cookie keys, the key-encryption key, signing-key rotation. */
import { z } from 'zod';
import { list, seconds } from './kinds.js';
import { optional, setting } from './setting.js';

export const keys = z.object({
  COOKIE_KEYS: optional(
    list.refine((keys) => keys.length > 0 && keys.every((k) => k.length >= 32), 'must be a comma-separated list of keys of at least 32 characters'),
    'Keys signing cookies, newest first (rotate by prepending). Generated and kept in DATA_DIR in development; required in production.',
    { secret: true },
  ),
  KEY_ENCRYPTION_KEY: optional(
    z.string().refine((v) => Buffer.from(v, 'base64url').length === 32, 'must be 32 random bytes in base64url (openssl rand -base64 32 | tr "+/" "-_" | tr -d =)'),
    'Key encrypting private signing keys and client secrets at rest (AES-256-GCM). Generated and kept in DATA_DIR in development; required in production.',
    { secret: true },
  ),
  KEY_ROTATION_OVERLAP: setting(
    seconds,
    '172800',
    'After `keys:rotate`, how long (s) retired signing keys stay published for verification. Must exceed the longest token lifetime.',
  ),
  KEY_REFRESH_INTERVAL: setting(seconds, '60', 'How often (s) each process checks for rotated signing keys.'),
});
