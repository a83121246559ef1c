/**
 * server/modules/bootstrap/use-cases/export-seed.ts with in-memory fakes: what an export leaves
 * out (secrets, dynamically registered clients, provider-added metadata, hashes unless asked),
 * that users are read page by page, and that the result parses as a seed document again.
 */
import { describe, expect, it } from 'vitest';
import { exportSeed, parseSeedDocument, type ExportSeedDeps } from '../../server/modules/bootstrap/index.js';
import type { User } from '../../server/modules/users/index.js';

const user = (i: number): User => ({
  id: `id-${i}`,
  username: `user${String(i).padStart(4, '0')}`,
  email: i % 2 ? `u${i}@example.com` : null,
  emailVerified: i % 3 === 0,
  profile: i === 1 ? { name: 'One', address: { country: 'DE' } } : {},
  disabled: false,
  version: 1,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

function fakes(userCount: number) {
  const users = Array.from({ length: userCount }, (_, i) => user(i + 1));
  const pages: number[] = [];
  const deps: ExportSeedDeps = {
    apis: { list: async () => [{ identifier: 'https://api.example.com', name: 'API', scopes: [{ value: 'read', description: '' }], accessTokenTtl: 300 }] },
    roles: {
      list: async () => [{ id: 'r1', name: 'reader', description: 'Reads', permissions: [{ resource: 'https://api.example.com', scope: 'read' }] }],
      roleNamesOf: async (id) => (id === 'id-1' ? ['reader'] : []),
    },
    clients: {
      list: async () => [
        {
          clientId: 'web',
          source: 'seed',
          hasSecret: true,
          metadata: { client_id: 'web', redirect_uris: ['https://web.example.com/cb'], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', client_id_issued_at: 1, first_party: true },
        },
        { clientId: 'self-registered', source: 'dynamic', hasSecret: true, metadata: { redirect_uris: ['https://x.example.com/cb'] } },
      ],
    },
    users: {
      list: async (_filter, { after, limit }) => {
        pages.push(limit);
        const rest = users.filter((u) => after === undefined || u.username > after);
        const items = rest.slice(0, limit);
        return rest.length > limit ? { items, nextKey: items.at(-1)!.username } : { items };
      },
    },
    credentials: { findPassword: async (id) => ({ hash: `$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$${id}`, mustChange: false }) },
  };
  return { deps, pages };
}

describe('exportSeed', () => {
  it('exports APIs, roles, operator clients and users; no secrets, no dynamic clients, no provider-added metadata', async () => {
    const { deps } = fakes(3);
    const document = await exportSeed(deps);
    expect(document.apis).toEqual([{ identifier: 'https://api.example.com', name: 'API', scopes: [{ value: 'read', description: '' }], access_token_ttl: 300 }]);
    expect(document.roles).toEqual([{ name: 'reader', description: 'Reads', permissions: [{ resource: 'https://api.example.com', scopes: ['read'] }] }]);
    expect(document.clients).toEqual([
      { client_id: 'web', redirect_uris: ['https://web.example.com/cb'], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic', first_party: true },
    ]);
    expect(document.users).toEqual([
      { username: 'user0001', email: 'u1@example.com', email_verified: false, profile: { name: 'One', address: { country: 'DE' } }, roles: ['reader'] },
      { username: 'user0002' },
      { username: 'user0003', email: 'u3@example.com', email_verified: true },
    ]);
    expect(JSON.stringify(document)).not.toContain('argon2');
    // What it wrote applies again.
    expect(() => parseSeedDocument(document, 'export')).not.toThrow();
  });

  it('includes password hashes only when asked', async () => {
    const { deps } = fakes(2);
    const document = await exportSeed(deps, { passwordHashes: true });
    expect((document.users as Array<{ password_hash?: string }>).map((u) => u.password_hash)).toEqual([
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$id-1',
      '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$id-2',
    ]);
  });

  it('reads users page by page and misses none across page boundaries', async () => {
    const { deps, pages } = fakes(1001);
    const document = await exportSeed(deps);
    const names = (document.users as Array<{ username: string }>).map((u) => u.username);
    expect(names).toHaveLength(1001);
    expect(new Set(names).size).toBe(1001);
    expect(pages).toEqual([500, 500, 500]);
  });
});
