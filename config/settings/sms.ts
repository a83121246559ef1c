/** How SMS leave: Twilio, Amazon SNS, or the log in development. */
import { z } from 'zod';
import { bool, url } from './kinds.js';
import { optional, setting } from './setting.js';

export const sms = z.object({
  SMS_PROVIDER: optional(
    z.enum(['twilio', 'sns', 'log']),
    'How SMS leave: twilio, sns (Amazon SNS) or log (printed, development only). Unset: twilio when TWILIO_ACCOUNT_SID is set, else log. Production refuses log while a feature that sends SMS is on.',
  ),
  TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an account SID (AC + 32 hex digits)'), 'Twilio account SID.'),
  TWILIO_AUTH_TOKEN: optional(z.string().min(16), 'Twilio auth token: authenticates API calls and verifies status callback signatures.', { secret: true }),
  TWILIO_FROM: optional(
    z.string().regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, 'must be an E.164 number or a Messaging Service SID'),
    'Twilio sender: an E.164 number or a Messaging Service SID (MG…).',
  ),
  TWILIO_API_BASE_URL: setting(url(['http:', 'https:']), 'https://api.twilio.com', 'Base URL of Twilio\'s REST API (a regional proxy, or a local stand-in in tests).'),
  TWILIO_STATUS_CALLBACKS: setting(bool, 'true', 'Ask Twilio to post delivery status to ISSUER/notifications/v1/callbacks/twilio.'),
  SNS_ENDPOINT: optional(url(['http:', 'https:']), 'Override of the SNS endpoint (VPC endpoint, LocalStack). Unset: the region\'s.'),
  SNS_SENDER_ID: optional(z.string().regex(/^[A-Za-z0-9]{1,11}$/, 'must be 1-11 letters or digits'), 'Alphanumeric sender id for SNS SMS, where the destination country supports one.'),
});
