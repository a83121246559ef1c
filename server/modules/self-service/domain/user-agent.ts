/**
 * "Chrome on Windows" from a User-Agent header, for the sessions list. Only the common browsers
 * and systems are named; anything else is shown as the caller's fallback. Order matters: Edge and
 * Opera also say "Chrome", Chrome also says "Safari", Android also says "Linux".
 */
const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
];

export interface DeviceDescription {
  browser?: string;
  os?: string;
}

export function describeUserAgent(userAgent: string | undefined): DeviceDescription {
  const ua = (userAgent ?? '').slice(0, 500);
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const os = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  return { ...(browser ? { browser } : {}), ...(os ? { os } : {}) };
}
