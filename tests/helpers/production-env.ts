/** Everything production needs, so each test can remove or break exactly one thing. */
import { randomBytes } from 'node:crypto';

export const key32 = (): string => randomBytes(32).toString('base64url');

export function productionEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    ISSUER: 'https://id.example.com',
    TRUST_PROXY: 'true',
    COOKIE_KEYS: key32(),
    KEY_ENCRYPTION_KEY: key32(),
    DATABASE_URL: 'postgres://oidc:pw@db.internal:5432/oidc',
    SMTP_URL: 'smtp://mailer:pw@smtp.internal:587',
    EMAIL_FROM: 'ID <no-reply@example.com>',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 't'.repeat(32),
    TWILIO_FROM: '+15005550006',
    ...extra,
  };
}
