/** server/modules/users/domain/claims.ts: the claims a user has, from profile and account fields. */
import { describe, expect, it } from 'vitest';
import { claimsOf, SCOPE_CLAIMS } from '../../server/modules/users/domain/claims.js';
import type { User } from '../../server/modules/users/domain/user.js';

function user(overrides: Partial<User> = {}): User {
  return {
    id: '7f1c6a9e-1111-4222-8333-944455556666',
    username: 'Alice',
    email: null,
    emailVerified: false,
    profile: {},
    disabled: false,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    updatedAt: new Date('2026-03-04T05:06:07.890Z'),
    version: 1,
    ...overrides,
  };
}

describe('claimsOf', () => {
  it('always has sub (the stable id, not the username), preferred_username and updated_at in seconds', () => {
    expect(claimsOf(user())).toEqual({
      sub: '7f1c6a9e-1111-4222-8333-944455556666',
      preferred_username: 'Alice',
      updated_at: Math.floor(Date.parse('2026-03-04T05:06:07Z') / 1000),
    });
  });

  it('releases email and email_verified only when the user has an email', () => {
    expect(claimsOf(user({ email: 'alice@example.com', emailVerified: true }))).toMatchObject({
      email: 'alice@example.com',
      email_verified: true,
    });
    expect(claimsOf(user({ email: 'alice@example.com' })).email_verified).toBe(false);
    const none = claimsOf(user({ emailVerified: true }));
    expect(none).not.toHaveProperty('email');
    expect(none).not.toHaveProperty('email_verified');
  });

  it('passes profile claims through', () => {
    const address = { locality: 'Oxford', country: 'GB' };
    expect(claimsOf(user({ profile: { name: 'Alice Liddell', given_name: 'Alice', family_name: 'Liddell', locale: 'en-GB', address } }))).toMatchObject({
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      locale: 'en-GB',
      address,
    });
  });

  it('adds phone_number_verified (false unless set) only alongside a phone number', () => {
    expect(claimsOf(user({ profile: { phone_number: '+441234567890' } }))).toMatchObject({ phone_number: '+441234567890', phone_number_verified: false });
    expect(claimsOf(user({ profile: { phone_number: '+441234567890', phone_number_verified: true } })).phone_number_verified).toBe(true);
    expect(claimsOf(user({ profile: { phone_number_verified: true } }))).not.toHaveProperty('phone_number_verified');
  });

  it('never exposes account internals', () => {
    const claims = claimsOf(user({ disabled: true, email: 'a@example.com' }));
    for (const internal of ['id', 'username', 'disabled', 'createdAt', 'updatedAt', 'emailVerified', 'profile']) {
      expect(claims).not.toHaveProperty(internal);
    }
  });

  it('only produces claims some scope can release', () => {
    const releasable = new Set<string>(Object.values(SCOPE_CLAIMS).flat());
    const claims = claimsOf(
      user({ email: 'a@example.com', profile: { name: 'A', nickname: 'a', phone_number: '+1', address: { country: 'GB' } } }),
    );
    expect(Object.keys(claims).filter((claim) => !releasable.has(claim))).toEqual([]);
  });
});
