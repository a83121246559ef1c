import { describe, expect, it } from 'vitest';
import { clientAllowance, grantableScopes } from '../../server/modules/permissions/index.js';

const apiScopes = ['orders:read', 'orders:write', 'orders:refund'];

describe('grantableScopes', () => {
  it('is the API’s scopes within the client’s allowance within the user’s grants, in the API’s order', () => {
    expect(grantableScopes({ apiScopes, clientAllowed: ['orders:refund', 'orders:read', 'orders:write'], userGranted: ['orders:write', 'orders:read'] })).toEqual([
      'orders:read',
      'orders:write',
    ]);
  });

  it('without a user (client credentials) is the client’s allowance', () => {
    expect(grantableScopes({ apiScopes, clientAllowed: ['orders:read'], userGranted: undefined })).toEqual(['orders:read']);
  });

  it('gives nothing to a user without grants, and refuses a client without an allowance', () => {
    expect(grantableScopes({ apiScopes, clientAllowed: apiScopes, userGranted: [] })).toEqual([]);
    expect(grantableScopes({ apiScopes, clientAllowed: undefined, userGranted: apiScopes })).toBeUndefined();
  });

  it('never grants a scope the API does not define, whatever client or roles say', () => {
    expect(grantableScopes({ apiScopes, clientAllowed: ['orders:delete'], userGranted: ['orders:delete'] })).toEqual([]);
  });
});

describe('clientAllowance', () => {
  it('reads the client’s scopes for one API, and only its own keys', () => {
    const allowance = { 'https://orders.example.com': ['orders:read'] };
    expect(clientAllowance(allowance, 'https://orders.example.com')).toEqual(['orders:read']);
    expect(clientAllowance(allowance, 'https://other.example.com')).toBeUndefined();
    expect(clientAllowance(allowance, 'toString')).toBeUndefined();
    expect(clientAllowance(undefined, 'https://orders.example.com')).toBeUndefined();
  });
});
