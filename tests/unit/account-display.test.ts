/** How /account shows stored values: phone numbers grouped for their country, sessions by browser and system. */
import { describe, expect, it } from 'vitest';
import { displayPhone } from '../../account/phone-display.js';
import { describeUserAgent } from '../../account/user-agent.js';

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
