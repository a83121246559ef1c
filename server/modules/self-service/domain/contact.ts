/** Shapes of the addresses self-service accepts. Pure syntax checks; ownership is proven by verification. */

// Deliberately simple (WHATWG's input type=email rule): the real check is the verification message.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
/** ITU-T E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

export function normalizeEmail(input: string): string | undefined {
  const email = input.trim().normalize('NFKC');
  return email.length <= 254 && EMAIL.test(email) ? email : undefined;
}

/** Accepts spaces, dashes, dots and parentheses as people type them; @returns E.164 or undefined. */
export function normalizePhone(input: string): string | undefined {
  const compact = input.trim().replace(/[\s().-]/g, '');
  return E164.test(compact) ? compact : undefined;
}

/** "a***@example.com": enough for the owner to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}
