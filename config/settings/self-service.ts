/** Self-service on /account: sign-up, passwords, verification and reset messages, re-authentication. */
import { z } from 'zod';
import { bool, positiveInt, seconds } from './kinds.js';
import { optional, setting } from './setting.js';

export const selfService = z.object({
  SIGNUP_ENABLED: optional(
    bool,
    'Let people create their own accounts at /account/register (and from the sign-in page). Defaults to true in development, false otherwise.',
  ),
  PASSWORD_RECOVERY_ENABLED: optional(
    bool,
    'Password reset by email ("Forgot your password?"). Unset: on, except in production without an email channel (EMAIL_PROVIDER / SMTP_URL).',
  ),
  EMAIL_VERIFICATION_ENABLED: optional(
    bool,
    'Email verification and email changes on /account (codes sent by email). Unset: on, except in production without an email channel.',
  ),
  NEW_DEVICE_EMAIL_ENABLED: optional(
    bool,
    'Email a person when their account signs in from a browser it has not seen. Unset: on, except in production without an email channel.',
  ),
  PHONE_VERIFICATION_ENABLED: optional(
    bool,
    'Phone numbers on /account and at sign-up, verified by an SMS code. Unset: on, except in production without an SMS channel (SMS_PROVIDER / TWILIO_ACCOUNT_SID).',
  ),
  PASSWORD_MIN_LENGTH: setting(
    z.coerce.number({ error: 'must be a whole number' }).int().min(8, 'must be at least 8 (NIST SP 800-63B)').max(64),
    '12',
    'Minimum password length for new passwords (NIST SP 800-63B: at least 8; no composition rules; common passwords are refused).',
  ),
  VERIFICATION_TTL: setting(seconds, '1800', 'Lifetime (s) of email / phone verification links and codes.'),
  PASSWORD_RESET_TTL: setting(seconds, '1800', 'Lifetime (s) of a password reset link.'),
  SELF_SERVICE_MESSAGE_LIMIT: setting(
    positiveInt,
    '5',
    'Verification and reset messages allowed per address per SELF_SERVICE_WINDOW; SELF_SERVICE_IP_FACTOR times as many per IP.',
  ),
  SELF_SERVICE_IP_FACTOR: setting(
    positiveInt.max(1000, 'must be at most 1000'),
    '10',
    'Per-IP budget of verification and reset messages as a multiple of SELF_SERVICE_MESSAGE_LIMIT: several people may share one address (NAT).',
  ),
  SELF_SERVICE_CODE_LIMIT: setting(
    positiveInt,
    '30',
    'Verification codes that may be tried per IP per SELF_SERVICE_WINDOW (each flow also locks after 5 wrong codes).',
  ),
  SELF_SERVICE_WINDOW: setting(seconds, '3600', 'Window (s) of SELF_SERVICE_MESSAGE_LIMIT and SELF_SERVICE_CODE_LIMIT.'),
  ACCOUNT_REAUTH_WINDOW: setting(
    seconds,
    '600',
    'How recent (s) a sign-in must be for sensitive changes on /account (email, phone, MFA, sessions); older sessions sign in again first.',
  ),
});
