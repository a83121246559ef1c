/**
 * Phone numbers as people read them: the stored E.164 value (+4915123456789) shown in the
 * international format of its country (+49 1512 3456789). libphonenumber-js carries Google's
 * per-country grouping rules, which no regular expression of ours could keep current; the `min`
 * metadata is enough for formatting. A number it cannot parse is shown as stored.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

export function displayPhone(e164: string): string {
  if (!e164) return '';
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
