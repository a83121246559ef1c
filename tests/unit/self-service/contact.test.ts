import { describe, expect, it } from 'vitest';
import { maskEmail, normalizeEmail, normalizePhone } from '../../../server/modules/self-service/index.js';

describe('contact addresses', () => {
  it('accepts ordinary emails and refuses malformed ones', () => {
    expect(normalizeEmail('  alice@example.com ')).toBe('alice@example.com');
    expect(normalizeEmail('a.b+tag@sub.example.co')).toBe('a.b+tag@sub.example.co');
    for (const bad of ['alice', 'alice@', '@example.com', 'alice@localhost', 'a b@example.com', `${'a'.repeat(250)}@example.com`]) {
      expect(normalizeEmail(bad), bad).toBeUndefined();
    }
  });

  it('normalizes phone numbers to E.164', () => {
    expect(normalizePhone('+49 (151) 2345-6789')).toBe('+4915123456789');
    expect(normalizePhone('+1.415.555.0100')).toBe('+14155550100');
    for (const bad of ['0151 23456789', '+0151234567', '+49', '+4915123456789012345', 'call me']) expect(normalizePhone(bad), bad).toBeUndefined();
  });

  it('masks an email to its first letter and domain', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@example.com');
  });
});
