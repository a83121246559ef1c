/** ROLES_CLAIM and PERMISSIONS_CLAIM: defaults, URIs allowed, reserved claim names and equal names refused. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

describe('claim names', () => {
  it('default to roles and permissions', () => {
    expect(load({}).claimNames).toEqual({ roles: 'roles', permissions: 'permissions' });
  });

  it('accept short names and URIs', () => {
    expect(load({ ROLES_CLAIM: 'https://example.com/roles', PERMISSIONS_CLAIM: 'perms' }).claimNames).toEqual({ roles: 'https://example.com/roles', permissions: 'perms' });
  });

  it.each(['sub', 'scope', 'email', 'aud', 'client_id'])('refuse the reserved claim %s, naming the variable', (name) => {
    expect(() => load({ ROLES_CLAIM: name })).toThrow(/ROLES_CLAIM must not be a registered JWT or OpenID Connect claim name/);
  });

  it('refuse spaces and quotes', () => {
    expect(() => load({ PERMISSIONS_CLAIM: 'my perms' })).toThrow(/PERMISSIONS_CLAIM must be 1-200 letters/);
  });

  it('refuse the same name for both', () => {
    expect(() => load({ ROLES_CLAIM: 'access', PERMISSIONS_CLAIM: 'access' })).toThrow(/ROLES_CLAIM and PERMISSIONS_CLAIM must differ/);
  });
});
