/** Sign-in: failure limits and lockout, password hashing cost, multi-factor authentication. */
import { z } from 'zod';
import { bool, positiveInt, seconds } from './kinds.js';
import { optional, setting } from './setting.js';

export const signIn = z.object({
  LOGIN_FAILURE_LIMIT: setting(
    positiveInt,
    '10',
    'Failed sign-ins allowed per login name and IP per LOGIN_FAILURE_WINDOW; LOGIN_FAILURE_IP_FACTOR times as many per IP across all login names.',
  ),
  LOGIN_FAILURE_WINDOW: setting(seconds, '900', 'Window (s) of LOGIN_FAILURE_LIMIT.'),
  LOCKOUT_WINDOW: setting(seconds, '3600', 'How long (s) a series of failed sign-ins of an account is remembered for its lockout.'),
  LOGIN_FAILURE_IP_FACTOR: setting(
    positiveInt.max(1000, 'must be at most 1000'),
    '10',
    'Per-IP budget of failed sign-ins (and of upstream federation starts) as a multiple of LOGIN_FAILURE_LIMIT: several people may share one address (NAT).',
  ),
  ARGON2_MEMORY_KIB: setting(positiveInt, '19456', 'argon2id memory cost (KiB). OWASP minimum: 19 MiB with 2 iterations.'),
  ARGON2_TIME_COST: setting(positiveInt, '2', 'argon2id iterations.'),
  ARGON2_PARALLELISM: setting(positiveInt, '1', 'argon2id lanes.'),
  MFA_ENABLED: setting(
    bool,
    'true',
    'Feature flag for multi-factor authentication. false: no second factor is asked for or offered, whatever clients request.',
  ),
  MFA_SMS_ENABLED: optional(
    bool,
    'Offer SMS codes as a second factor (to a verified phone number) when MFA_ENABLED. Unset: on, except in production without an SMS channel.',
  ),
  MFA_TRUSTED_DEVICE_TTL: setting(
    seconds,
    '2592000',
    'How long (s) a browser marked "trust this device" skips the second factor (unless a client asks for step-up).',
  ),
  MFA_TOTP_ISSUER: optional(z.string().min(1).max(64), 'Name authenticator apps show for TOTP entries. Defaults to the host name of ISSUER.'),
  SMS_RESEND_INTERVAL: setting(
    seconds.max(3600, 'must be at most 3600'),
    '30',
    'Time (s) before another SMS code may be sent for the same sign-in or enrolment, so a page reload cannot run up SMS costs.',
  ),
});
