/**
 * Well-formed text for storage: Postgres `text` and `jsonb` refuse NUL, and `jsonb` refuses a
 * lone surrogate (`\ud800` without its pair), so a value headed for the database must hold
 * neither. Lone surrogates become U+FFFD (as `String.prototype.toWellFormed` would); NUL is removed.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` with lone surrogates replaced by U+FFFD and NUL characters removed. */
export function wellFormed(value: string): string {
  return value.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\uFFFD');
}

/** True when `value` holds no NUL and no lone surrogate: it can be stored as it is. */
export function isWellFormed(value: string): boolean {
  return !value.includes('\u0000') && !new RegExp(LONE_SURROGATE.source).test(value);
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
