/**
 * "3 minutes ago" in the page locale (Intl.RelativeTimeFormat), for the sessions list's "last
 * seen". Under a minute is "just now" (a message id of its own: the list refreshes last seen only
 * every few minutes, so seconds would claim a precision it does not have). Later than `now` (a
 * clock skew between processes) counts as now.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The largest unit that fits, rounded down, as people say it ("2 hours ago" until 3 hours). */
const UNITS: Array<[limit: number, size: number, unit: Intl.RelativeTimeFormatUnit]> = [
  [HOUR, MINUTE, 'minute'],
  [DAY, HOUR, 'hour'],
  [30 * DAY, DAY, 'day'],
  [365 * DAY, 30 * DAY, 'month'],
  [Infinity, 365 * DAY, 'year'],
];

/** @returns the relative phrase, or undefined for "just now" (the caller's own message). */
export function timeAgo(when: Date, now: Date, locale: string): string | undefined {
  const elapsed = Math.max(0, now.getTime() - when.getTime());
  if (elapsed < MINUTE) return undefined;
  const [, size, unit] = UNITS.find(([limit]) => elapsed < limit)!;
  return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(-Math.floor(elapsed / size), unit);
}
