/** The admin API settings: audience derived from the issuer, token lifetime bounded by key rotation. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';

const base = { NODE_ENV: 'test', ISSUER: 'https://id.example.com/' };

describe('admin API configuration', () => {
  it('defaults the audience to ISSUER/admin/v1 and tokens to 10 minutes', () => {
    expect(loadConfig(base).adminApi).toEqual({ audience: 'https://id.example.com/admin/v1', tokenTtl: 600 });
    expect(loadConfig({ NODE_ENV: 'test', PORT: '4000' }).adminApi.audience).toBe('http://localhost:4000/admin/v1');
  });
  it('takes an explicit audience and refuses a non-URL', () => {
    expect(loadConfig({ ...base, ADMIN_API_AUDIENCE: 'https://admin.example.com' }).adminApi.audience).toBe('https://admin.example.com');
    expect(() => loadConfig({ ...base, ADMIN_API_AUDIENCE: 'admin' })).toThrow(/ADMIN_API_AUDIENCE must be a URL/);
  });
  it('refuses a token lifetime that outlives the key rotation overlap', () => {
    expect(() => loadConfig({ ...base, ADMIN_API_TOKEN_TTL: '7200', KEY_ROTATION_OVERLAP: '7200' })).toThrow(/KEY_ROTATION_OVERLAP \(7200s\) must exceed ADMIN_API_TOKEN_TTL/);
  });
});
