/** server/modules/bootstrap/use-cases/seed-document.ts: errors name the source, the entry and the field. */
import { describe, expect, it } from 'vitest';
import { parseSeedDocument } from '../../server/modules/bootstrap/index.js';
import { AppError } from '../../server/shared/errors.js';

const SOURCE = 'SEED_FILE seed.json';

const goodClient = { client_id: 'web', client_secret: 'x'.repeat(32), redirect_uris: ['https://web.example.com/cb'] };

function messageOf(input: unknown): string {
  try {
    parseSeedDocument(input, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('invalid_seed');
    return (error as AppError).message;
  }
  throw new Error('expected the seed document to be refused');
}

describe('parseSeedDocument', () => {
  it('accepts a valid document and fills defaults', () => {
    const doc = parseSeedDocument({ clients: [goodClient], users: [{ username: 'bob', password: 'long enough password' }] }, SOURCE);
    expect(doc.apis).toEqual([]);
    expect(doc.clients[0]).toMatchObject({ client_id: 'web', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] });
    // Fields a user entry leaves out stay undefined, so re-applying the seed does not reset them.
    expect(doc.users[0]).toEqual({ username: 'bob', password: 'long enough password' });
    expect(parseSeedDocument({}, SOURCE)).toEqual({ apis: [], roles: [], clients: [], users: [] });
  });

  it('names the client by index and id, and the failing redirect URI by position', () => {
    const message = messageOf({ clients: [goodClient, { client_id: 'shop', redirect_uris: ['https://shop.example.com/cb', 'not a url'] }] });
    expect(message).toMatch(/^SEED_FILE seed\.json: /);
    expect(message).toContain('clients[1] ("shop").redirect_uris[1]: must be an absolute URI');
  });

  it('names the field of a cross-field rule', () => {
    expect(messageOf({ clients: [{ client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: [] }] })).toContain(
      'clients[0] ("spa").redirect_uris: required for the authorization_code grant',
    );
  });

  it('names users by username', () => {
    expect(messageOf({ users: [{ username: 'bob', password: 'short' }] })).toContain('users[0] ("bob").password: must be at least 12 characters');
    expect(messageOf({ users: [{ username: 'bob', password: 'long enough password', password_env: 'BOB_PASSWORD' }] })).toContain(
      'users[0] ("bob").password: give at most one of password, password_env, password_hash',
    );
  });

  it('names APIs by identifier, down to a nested scope', () => {
    const message = messageOf({ apis: [{ identifier: 'https://api.example.com', name: 'API', scopes: [{ value: 'read' }, { value: 'openid' }] }] });
    expect(message).toContain('apis[0] ("https://api.example.com").scopes[1].value: is an OpenID Connect scope');
  });

  it('falls back to the index when the entry has no usable name', () => {
    expect(messageOf({ clients: [{ client_id: 42, redirect_uris: [] }] })).toMatch(/clients\[0\]\.client_id: /);
  });

  it('reports unknown fields and unknown sections', () => {
    expect(messageOf({ clients: [{ ...goodClient, redirect_uri: 'https://typo.example.com' }] })).toMatch(/clients\[0\] \("web"\): .*redirect_uri/);
    expect(messageOf({ client: [] })).toBe('SEED_FILE seed.json: Unrecognized key: "client"');
  });

  it('reports every failing entry at once', () => {
    const message = messageOf({
      clients: [{ client_id: 'a b', redirect_uris: ['https://a.example.com'] }],
      users: [{ username: 'x' }],
    });
    expect(message).toContain('clients[0] ("a b").client_id');
    expect(message).toContain('users[0] ("x").username');
  });

  it('refuses a document that is not an object', () => {
    expect(messageOf([])).toMatch(/^SEED_FILE seed\.json: Invalid input: expected object/);
    expect(messageOf(null)).toMatch(/^SEED_FILE seed\.json: Invalid input: expected object/);
    expect(messageOf({ clients: {} })).toMatch(/^SEED_FILE seed\.json: clients: Invalid input: expected array/);
  });
});
