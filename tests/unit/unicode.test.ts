/** server/shared/unicode.ts: what may be stored, checked the same on every call. */
import { describe, expect, it } from 'vitest';
import { isStorableKey, isWellFormed, wellFormed } from '../../server/shared/unicode.js';

describe('unicode', () => {
  it('finds a lone surrogate or NUL on every call, not only every other one', () => {
    for (let i = 0; i < 4; i += 1) {
      expect(isWellFormed('a\uD800b')).toBe(false);
      expect(isWellFormed('a\uDC00')).toBe(false);
      expect(isWellFormed('a\u0000b')).toBe(false);
      expect(isWellFormed('emoji \uD83D\uDE00')).toBe(true);
      expect(isStorableKey('x\uD800')).toBe(false);
    }
  });

  it('returns well-formed text unchanged and repairs the rest', () => {
    expect(wellFormed('plain \uD83D\uDE00')).toBe('plain \uD83D\uDE00');
    expect(wellFormed('a\u0000b\uD800c')).toBe('ab\uFFFDc');
  });
});
