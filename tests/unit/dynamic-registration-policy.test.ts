/**
 * server/oidc/client-metadata.ts (what a self-registered client may state, in production and
 * elsewhere) and adapters/oidc/initial-access-tokens.ts (configured initial access tokens).
 */
import { describe, expect, it } from 'vitest';
import { ConfiguredInitialAccessTokens } from '../../adapters/oidc/initial-access-tokens.js';
import { extraClientMetadata } from '../../server/oidc/client-metadata.js';

type Validator = (ctx: unknown, key: string, value: unknown, metadata: Record<string, unknown>) => void;
const validatorOf = (production: boolean) => extraClientMetadata({ production }).validator as unknown as Validator;
const registering = { oidc: { route: 'registration' } };

/** Runs the validator as oidc-provider does: once per extra property. */
function validate(metadata: Record<string, unknown>, options: { production: boolean; ctx?: unknown }) {
  const validator = validatorOf(options.production);
  for (const key of ['web_origins', 'first_party', 'resource_scopes']) validator('ctx' in options ? options.ctx : registering, key, metadata[key], metadata);
}

describe('self-registered redirect URIs in production', () => {
  it.each([
    ['web', ['https://app.example.com/cb']],
    ['native', ['http://127.0.0.1:7777/cb', 'http://[::1]/cb', 'com.example.app:/oauth2redirect', 'https://app.example.com/cb']],
  ])('accepts %s %j', (application_type, redirect_uris) => {
    expect(() => validate({ application_type, redirect_uris, grant_types: ['authorization_code'] }, { production: true })).not.toThrow();
  });

  it.each([
    ['web', 'http://app.example.com/cb'],
    ['web', 'http://127.0.0.1:7777/cb'],
    ['native', 'http://localhost:7777/cb'],
    ['native', 'http://app.example.com/cb'],
    ['native', 'myapp:/cb'],
  ])('refuses %s %s with invalid_redirect_uri', (application_type, uri) => {
    expect(() => validate({ application_type, redirect_uris: [uri] }, { production: true })).toThrow(expect.objectContaining({ error: 'invalid_redirect_uri' }));
  });

  it('refuses http post-logout redirect URIs too', () => {
    expect(() => validate({ redirect_uris: ['https://a.example.com/cb'], post_logout_redirect_uris: ['http://a.example.com/'] }, { production: true }))
      .toThrow(expect.objectContaining({ error_description: expect.stringMatching(/^post_logout_redirect_uris must use https/) }));
  });

  it('accepts http outside production', () => {
    expect(() => validate({ redirect_uris: ['http://app.example.com/cb'] }, { production: false })).not.toThrow();
  });
});

describe('privileged metadata', () => {
  it('is refused only on the registration routes: operators still declare it', () => {
    const metadata = { redirect_uris: ['https://a.example.com/cb'], first_party: true, resource_scopes: { 'https://api.example.com': ['x'] } };
    expect(() => validate(metadata, { production: true })).toThrow(expect.objectContaining({ error: 'invalid_client_metadata' }));
    expect(() => validate(metadata, { production: true, ctx: { oidc: { route: 'client_update' } } })).toThrow(expect.objectContaining({ error_description: expect.stringMatching(/cannot be registered dynamically/) }));
    expect(() => validate(metadata, { production: true, ctx: undefined as unknown })).not.toThrow();
  });
});

describe('ConfiguredInitialAccessTokens', () => {
  const store = new ConfiguredInitialAccessTokens(['a'.repeat(40), 'b'.repeat(40)]);

  it('finds each configured token, labelled by position, never carrying the token', async () => {
    expect(await store.find('a'.repeat(40))).toMatchObject({ jti: 'configured-0', kind: 'InitialAccessToken' });
    const second = await store.find('b'.repeat(40));
    expect(second).toMatchObject({ jti: 'configured-1' });
    expect(JSON.stringify(second)).not.toContain('b'.repeat(40));
  });

  it.each(['', 'a'.repeat(39), 'a'.repeat(41), 'A'.repeat(40), `${'a'.repeat(39)}b`])('refuses %j', async (value) => {
    expect(await store.find(value)).toBeUndefined();
  });

  it('with none configured finds nothing, and never stores one', async () => {
    expect(await new ConfiguredInitialAccessTokens([]).find('a'.repeat(40))).toBeUndefined();
    await expect(store.upsert()).rejects.toThrow(/not stored/);
  });
});
