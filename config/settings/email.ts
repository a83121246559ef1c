/** How email leaves: SMTP, Amazon SES, or the log in development. */
import { z } from 'zod';
import { bool, url } from './kinds.js';
import { optional } from './setting.js';

export const email = z.object({
  EMAIL_PROVIDER: optional(
    z.enum(['smtp', 'ses', 'log']),
    'How email leaves: smtp (SMTP_URL), ses (Amazon SES v2) or log (printed, development only). Unset: smtp when SMTP_URL is set, else log. Production refuses log while a feature that sends email is on.',
  ),
  EMAIL_FROM: optional(z.string().min(3), 'Sender of every email, e.g. `Example ID <no-reply@example.com>`. Required with smtp or ses.'),
  SMTP_URL: optional(
    url(['smtp:', 'smtps:']),
    'SMTP server with credentials: smtp://user:pass@host:587 (STARTTLS, required in production) or smtps://user:pass@host:465.',
    { secret: true },
  ),
  SMTP_REQUIRE_TLS: optional(
    bool,
    'Refuse to send over an smtp:// connection that did not upgrade to TLS (STARTTLS). Unset: true in production. false only for a relay on a private network you trust, such as the compose stack\'s Mailpit.',
  ),
  AWS_REGION: optional(
    z.string().min(1),
    'AWS region of SES and SNS. Credentials come from the AWS SDK default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, web identity, instance role).',
  ),
  SES_ENDPOINT: optional(url(['http:', 'https:']), 'Override of the SES v2 endpoint (VPC endpoint, LocalStack). Unset: the region\'s.'),
  SES_CONFIGURATION_SET: optional(z.string().min(1), 'SES configuration set sent with every email; give it an SNS event destination to get delivery events.'),
  SES_EVENTS_TOPIC_ARN: optional(
    z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN'),
    'SNS topic whose HTTPS notifications (SES delivery, bounce, complaint events) POST /notifications/v1/callbacks/ses accepts. Unset: that endpoint is off.',
  ),
});
