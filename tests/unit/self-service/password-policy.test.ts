import { describe, expect, it } from 'vitest';
import { loadPasswordBlocklist } from '../../../adapters/wordlists/common-passwords.js';
import { passwordProblems, PASSWORD_MAX_LENGTH, type PasswordPolicy } from '../../../server/modules/users/index.js';

const blocklist = loadPasswordBlocklist();
const policy: PasswordPolicy = { minLength: 12, blocklist };

describe('password policy (NIST SP 800-63B)', () => {
  it('ships a blocklist of tens of thousands of common passwords', () => {
    expect(blocklist.size).toBeGreaterThan(40_000);
    for (const common of ['123456', 'password', 'qwertyuiop', 'iloveyou']) expect(blocklist.has(common)).toBe(true);
  });

  it('refuses short passwords, counting characters (not bytes)', () => {
    expect(passwordProblems('elevenchars', {}, policy)).toContain('password_too_short');
    expect(passwordProblems('twelve chars', {}, policy)).toEqual([]);
    expect(passwordProblems('ääääääääääää', {}, policy)).toEqual([]);
  });

  it('honours the configured minimum', () => {
    expect(passwordProblems('eight ok', {}, { minLength: 8 })).toEqual([]);
    expect(passwordProblems('a fine passphrase', {}, { minLength: 20 })).toEqual(['password_too_short']);
  });

  it('refuses overlong passwords', () => {
    expect(passwordProblems('x'.repeat(PASSWORD_MAX_LENGTH + 1), {}, policy)).toContain('password_too_long');
  });

  it('refuses blocklisted passwords case-insensitively', () => {
    expect(passwordProblems('passwordpassword', {}, policy)).toEqual(['password_breached']);
    expect(passwordProblems('PasswordPassword', {}, policy)).toEqual(['password_breached']);
    expect(passwordProblems('qwerty', {}, { minLength: 6, blocklist })).toEqual(['password_breached']);
  });

  it('has no composition rules: lowercase letters and spaces only are fine', () => {
    expect(passwordProblems('correct horse battery staple', {}, policy)).toEqual([]);
  });

  it('refuses the username, the email or its local part', () => {
    expect(passwordProblems('Alice.Liddell1', { username: 'alice.liddell1' }, policy)).toEqual(['password_matches_username']);
    expect(passwordProblems('alice@example.com', { email: 'Alice@Example.com' }, policy)).toEqual(['password_matches_username']);
    expect(passwordProblems('wonderland.alice', { email: 'wonderland.alice@example.com' }, policy)).toEqual(['password_matches_username']);
  });

  it('without a blocklist (the default policy) only length and account ties count', () => {
    expect(passwordProblems('passwordpassword')).toEqual([]);
  });
});
