/**
 * Well-formed text for storage: Postgres `text` and `jsonb` refuse NUL, and `jsonb` refuses a
 * lone surrogate (`\ud800` without its pair), so a value headed for the database must hold
 * neither. Lone surrogates become U+FFFD (as `String.prototype.toWellFormed` would); NUL is removed.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Not global: `test` on a global expression keeps state (lastIndex) between calls. Made once,
// since isWellFormed runs on every storage lookup and every audit field.
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

/** `value` with lone surrogates replaced by U+FFFD and NUL characters removed. */
export function wellFormed(value: string): string {
  // Nearly every value is already well formed: returned as it is, without two replace passes.
  if (isWellFormed(value)) return value;
  return value.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** True when `value` holds no NUL and no lone surrogate: it can be stored as it is. */
export function isWellFormed(value: string): boolean {
  return !value.includes('\u0000') && !HAS_LONE_SURROGATE.test(value);
}

/**
 * `value` cut to at most `max` UTF-16 units, ending in "…" when cut. The cut never splits a
 * surrogate pair (an emoji is two units): a cut that would is moved one unit back.
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
}

/**
 * Longest key (id, client id, resource identifier, user name) a lookup takes to the database.
 * Generated ids are under 100 characters and configured ones far below this; anything longer
 * cannot exist, so it is not worth a query.
 */
export const MAX_KEY_LENGTH = 1024;

/**
 * True when `value` could be the key of a stored record: a non-empty, well-formed string of at
 * most MAX_KEY_LENGTH units. Lookups answer "not found" for anything else without asking the
 * database, which would refuse NUL and lone surrogates with an error (and so a 500).
 */
export function isStorableKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_LENGTH && isWellFormed(value);
}
