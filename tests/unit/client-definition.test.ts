/** server/modules/clients/domain/client-definition.ts: the rules an operator's client declaration must follow. */
import { describe, expect, it } from 'vitest';
import { allowedOrigins, clientDefinitionSchema, usesSharedSecret } from '../../server/modules/clients/index.js';

const SECRET = 's'.repeat(32);

function issuesOf(input: Record<string, unknown>): Array<{ path: string; message: string }> {
  const result = clientDefinitionSchema.safeParse(input);
  if (result.success) throw new Error('expected the client definition to be refused');
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('clientDefinitionSchema', () => {
  it('refuses a secret on a public client', () => {
    expect(issuesOf({ client_id: 'spa', token_endpoint_auth_method: 'none', client_secret: SECRET, redirect_uris: ['https://spa.example.com/cb'] })).toEqual([
      { path: 'client_secret', message: 'a public client (token_endpoint_auth_method none) has no secret' },
    ]);
    expect(issuesOf({ client_id: 'spa', token_endpoint_auth_method: 'none', client_secret_env: 'SPA_SECRET', redirect_uris: ['https://spa.example.com/cb'] })[0]!.path).toBe(
      'client_secret',
    );
  });

  it('refuses client_credentials on a public client', () => {
    expect(issuesOf({ client_id: 'spa', token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] })).toEqual([
      { path: 'grant_types', message: 'client_credentials needs a confidential client' },
    ]);
  });

  it('requires redirect URIs for the authorization_code grant, including by default', () => {
    expect(issuesOf({ client_id: 'web' })).toEqual([{ path: 'redirect_uris', message: 'required for the authorization_code grant' }]);
    expect(issuesOf({ client_id: 'web', grant_types: ['authorization_code'], redirect_uris: [] })[0]!.path).toBe('redirect_uris');
    expect(clientDefinitionSchema.safeParse({ client_id: 'svc', grant_types: ['client_credentials'] }).success).toBe(true);
  });

  it('refuses both a secret and a secret variable', () => {
    expect(issuesOf({ client_id: 'web', client_secret: SECRET, client_secret_env: 'WEB_SECRET', redirect_uris: ['https://w.example.com/cb'] })).toEqual([
      { path: 'client_secret', message: 'give client_secret or client_secret_env, not both' },
    ]);
  });

  it('refuses redirect URIs that cannot be matched exactly', () => {
    for (const uri of ['/relative', 'https://w.example.com/cb#frag', 'https://*.example.com/cb', 'not a url']) {
      expect(issuesOf({ client_id: 'web', redirect_uris: [uri] })[0]!.path).toBe('redirect_uris.0');
    }
    expect(clientDefinitionSchema.safeParse({ client_id: 'app', redirect_uris: ['com.example.app:/callback'], application_type: 'native' }).success).toBe(true);
  });

  it('refuses web_origins that are not bare origins', () => {
    for (const origin of ['https://spa.example.com/', 'https://spa.example.com/app', 'spa.example.com']) {
      expect(issuesOf({ client_id: 'spa', grant_types: ['client_credentials'], web_origins: [origin] })[0]!.path).toBe('web_origins.0');
    }
  });

  it('defaults response_types from the grant types and keeps an explicit value', () => {
    const parse = (input: Record<string, unknown>) => clientDefinitionSchema.parse(input).response_types;
    expect(parse({ client_id: 'web', redirect_uris: ['https://w.example.com/cb'] })).toEqual(['code']);
    expect(parse({ client_id: 'svc', grant_types: ['client_credentials'] })).toEqual([]);
    expect(parse({ client_id: 'web', redirect_uris: ['https://w.example.com/cb'], response_types: ['code'] })).toEqual(['code']);
    expect(issuesOf({ client_id: 'web', redirect_uris: ['https://w.example.com/cb'], response_types: ['token'] })[0]!.path).toBe('response_types.0');
  });

  it('accepts mfa_policy optional or required and nothing else', () => {
    const base = { client_id: 'bank', redirect_uris: ['https://bank.example/cb'] };
    expect(clientDefinitionSchema.parse({ ...base, mfa_policy: 'required' }).mfa_policy).toBe('required');
    expect(clientDefinitionSchema.parse(base).mfa_policy).toBeUndefined();
    const refused = clientDefinitionSchema.safeParse({ ...base, mfa_policy: 'always' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['mfa_policy']);
  });

  it('fills the other defaults', () => {
    expect(clientDefinitionSchema.parse({ client_id: 'web', redirect_uris: ['https://w.example.com/cb'] })).toMatchObject({
      application_type: 'web',
      grant_types: ['authorization_code', 'refresh_token'],
      post_logout_redirect_uris: [],
      web_origins: [],
      first_party: false,
    });
  });
});

describe('usesSharedSecret', () => {
  it('is true for the secret-based methods and the default', () => {
    expect(usesSharedSecret({ token_endpoint_auth_method: undefined })).toBe(true);
    for (const method of ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'] as const) {
      expect(usesSharedSecret({ token_endpoint_auth_method: method })).toBe(true);
    }
    expect(usesSharedSecret({ token_endpoint_auth_method: 'private_key_jwt' })).toBe(false);
    expect(usesSharedSecret({ token_endpoint_auth_method: 'none' })).toBe(false);
  });
});

describe('allowedOrigins', () => {
  it('derives origins from http(s) redirect URIs, keeping ports, and adds web_origins', () => {
    const origins = allowedOrigins({
      redirect_uris: ['https://app.example.com/cb', 'https://app.example.com/other', 'http://localhost:5173/callback', 'com.example.app:/cb'],
      web_origins: ['https://cdn.example.com'],
    });
    expect([...origins].sort()).toEqual(['http://localhost:5173', 'https://app.example.com', 'https://cdn.example.com']);
  });

  it('is empty for a client without either', () => {
    expect(allowedOrigins({}).size).toBe(0);
    expect(allowedOrigins({ redirect_uris: ['not a url'] }).size).toBe(0);
  });
});
