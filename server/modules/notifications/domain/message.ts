/**
 * A message intent: what to tell whom, not how. Templates live in views/notifications/ and are
 * named by id; the channel adapter renders and delivers.
 *
 * Template files (Eta, escaped by default):
 *   email: views/notifications/email/<template>/<locale>.subject.eta, <locale>.text.eta, <locale>.html.eta
 *   sms:   views/notifications/sms/<template>/<locale>.eta
 * A missing locale falls back to `en`.
 */
export type Channel = 'email' | 'sms';

export interface MessageIntent {
  channel: Channel;
  /** Template id, e.g. `verify-email`, `password-reset`, `mfa-code`. */
  template: string;
  /** BCP 47 language tag of the recipient's locale (`en`, `de`). */
  locale: string;
  /** An email address or an E.164 phone number. */
  to: string;
  /** Template variables. Links and codes are secrets in transit: never logged outside development. */
  data: Record<string, string>;
}
