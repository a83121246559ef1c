/** How /account shows stored values: phone numbers grouped for their country, sessions by browser, system, network and last seen. */
import { describe, expect, it } from 'vitest';
import { displayPhone } from '../../account/phone-display.js';
import { coarseNetwork, describeUserAgent } from '../../server/modules/self-service/index.js';
import { timeAgo } from '../../account/relative-time.js';

describe('displayPhone', () => {
  it('groups an E.164 number as its country writes it internationally', () => {
    expect(displayPhone('+4915123456789')).toBe('+49 1512 3456789');
    expect(displayPhone('+14155552671')).toBe('+1 415 555 2671');
    expect(displayPhone('+33612345678')).toBe('+33 6 12 34 56 78');
  });
  it('shows what it cannot parse as stored, and nothing for nothing', () => {
    expect(displayPhone('+999')).toBe('+999');
    expect(displayPhone('')).toBe('');
  });
});

describe('describeUserAgent', () => {
  it('names the common browsers and systems, Edge and Opera before Chrome, Chrome before Safari', () => {
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0')).toEqual({ browser: 'Edge', os: 'Windows' });
    expect(describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toEqual({ browser: 'Safari', os: 'iOS' });
    expect(describeUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36')).toEqual({ browser: 'Chrome', os: 'Android' });
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toEqual({ browser: 'Firefox', os: 'Linux' });
  });
  it('says nothing it does not know', () => {
    expect(describeUserAgent(undefined)).toEqual({});
    expect(describeUserAgent('curl/8.5.0')).toEqual({});
    expect(describeUserAgent('\u0000'.repeat(10_000))).toEqual({});
  });
});

describe('coarseNetwork', () => {
  it('keeps an IPv4 /24 and an IPv6 /48, never the host part', () => {
    expect(coarseNetwork('203.0.113.77')).toBe('203.0.113.x');
    expect(coarseNetwork('010.001.002.003')).toBe('10.1.2.x');
    expect(coarseNetwork('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48');
    expect(coarseNetwork('2001:DB8::1')).toBe('2001:db8:0::/48');
    expect(coarseNetwork('fe80::1%eth0')).toBe('fe80:0:0::/48');
  });
  it('shows an IPv4 peer of a dual-stack socket as IPv4', () => {
    expect(coarseNetwork('::ffff:198.51.100.23')).toBe('198.51.100.x');
    expect(coarseNetwork('::ffff:c633:6417')).toBe('198.51.100.x');
  });
  it('keeps nothing of what is not an address', () => {
    for (const bad of [undefined, '', 'localhost', '256.1.1.1', '1.2.3', '1:2:3:4:5:6:7:8:9', '1::2::3', '::ffff:300.1.1.1', 'g::1', '1.2.3.4'.repeat(20), '\u0000']) {
      expect(coarseNetwork(bad)).toBeUndefined();
    }
  });
});

describe('timeAgo', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const before = (ms: number) => new Date(now.getTime() - ms);
  it('says how long ago in the largest unit that fits, in the page locale', () => {
    expect(timeAgo(before(3 * 60_000 + 59_000), now, 'en')).toBe('3 minutes ago');
    expect(timeAgo(before(60_000), now, 'en')).toBe('1 minute ago');
    expect(timeAgo(before(2 * 3600_000 + 59 * 60_000), now, 'en')).toBe('2 hours ago');
    expect(timeAgo(before(3 * 86400_000), now, 'en')).toBe('3 days ago');
    expect(timeAgo(before(3 * 60_000), now, 'de')).toBe('vor 3 Minuten');
    expect(timeAgo(before(3 * 60_000), now, 'fr')).toBe('il y a 3 minutes');
    expect(timeAgo(before(3 * 60_000), now, 'es')).toBe('hace 3 minutos');
  });
  it('leaves under a minute, and a time ahead of the clock, to the caller ("just now")', () => {
    expect(timeAgo(before(59_000), now, 'en')).toBeUndefined();
    expect(timeAgo(new Date(now.getTime() + 3600_000), now, 'en')).toBeUndefined();
  });
});
