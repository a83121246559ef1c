import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/loader.js';

const base = { NODE_ENV: 'test' };
const upstream = (issuer: string) => JSON.stringify([{ id: 'corp', name: 'Corp', issuer, client_id: 'id', client_secret: 'very-secret-value-123' }]);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('federation configuration', () => {
  it('offers Google with its fixed issuer when both Google variables are set', () => {
    const config = loadConfig({ ...base, GOOGLE_CLIENT_ID: 'gid', GOOGLE_CLIENT_SECRET: 'gsecret' });
    expect(config.federation.providers).toEqual([{ id: 'google', name: 'Google', issuer: 'https://accounts.google.com', clientId: 'gid', clientSecret: 'gsecret', brand: 'google' }]);
    expect(problems({ ...base, GOOGLE_CLIENT_ID: 'gid' })).toEqual(['GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set']);
  });

  it('validates UPSTREAM_OIDC_PROVIDERS without echoing secrets', () => {
    const bad = problems({ ...base, UPSTREAM_OIDC_PROVIDERS: JSON.stringify([{ id: 'Bad Id', name: 'x', issuer: 'ftp://x', client_id: 'a', client_secret: 'very-secret-value-123' }]) });
    expect(bad.join('\n')).toMatch(/UPSTREAM_OIDC_PROVIDERS\[0\.id\]/);
    expect(bad.join('\n')).not.toContain('very-secret-value-123');
    const notJson = problems({ ...base, UPSTREAM_OIDC_PROVIDERS: '{very-secret-value-123' });
    expect(notJson.join('\n')).not.toContain('very-secret-value-123');
    expect(notJson.join('\n')).toContain('UPSTREAM_OIDC_PROVIDERS');
  });

  it('allows an http issuer outside production only when FEDERATION_ALLOW_HTTP_ISSUERS is true', () => {
    expect(problems({ ...base, UPSTREAM_OIDC_PROVIDERS: upstream('http://127.0.0.1:9000') }).join()).toContain('FEDERATION_ALLOW_HTTP_ISSUERS');
    expect(loadConfig({ ...base, UPSTREAM_OIDC_PROVIDERS: upstream('http://127.0.0.1:9000'), FEDERATION_ALLOW_HTTP_ISSUERS: 'true' }).federation.providers[0]?.issuer).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ ...base, UPSTREAM_OIDC_PROVIDERS: upstream('https://sso.example.com/') }).federation.providers[0]?.issuer).toBe('https://sso.example.com');
  });

  it('refuses http issuers and the http switch in production, naming the variables', () => {
    const found = problems({ NODE_ENV: 'production', UPSTREAM_OIDC_PROVIDERS: upstream('http://sso.example.com'), FEDERATION_ALLOW_HTTP_ISSUERS: 'true' }).join('\n');
    expect(found).toContain('FEDERATION_ALLOW_HTTP_ISSUERS must not be true in production');
    expect(found).toContain('UPSTREAM_OIDC_PROVIDERS: the issuer of "corp" must be an https URL in production');
  });

  it('rejects a provider id used twice', () => {
    expect(problems({ ...base, GOOGLE_CLIENT_ID: 'a', GOOGLE_CLIENT_SECRET: 'b', UPSTREAM_OIDC_PROVIDERS: JSON.stringify([{ id: 'google', name: 'G', issuer: 'https://accounts.google.com', client_id: 'a', client_secret: 'b' }]) }).join()).toContain('used twice');
  });
});

describe('Google issuer', () => {
  it('may point at a local stand-in outside production only, and must be https in production', () => {
    const google = { GOOGLE_CLIENT_ID: 'gid', GOOGLE_CLIENT_SECRET: 'gsecret', GOOGLE_ISSUER: 'http://127.0.0.1:9000' };
    expect(problems({ ...base, ...google }).join()).toContain('GOOGLE_ISSUER: the issuer of "google" is http');
    expect(loadConfig({ ...base, ...google, FEDERATION_ALLOW_HTTP_ISSUERS: 'true' }).federation.providers[0]).toMatchObject({ id: 'google', brand: 'google', issuer: 'http://127.0.0.1:9000' });
    expect(problems({ NODE_ENV: 'production', ...google }).join('\n')).toContain('GOOGLE_ISSUER: the issuer of "google" must be an https URL in production');
  });
});
