/**
 * The provider every admin API suite runs against, the admin clients of its seed, and their
 * tokens. Not a test file: admin-api.test.ts starts it once and hands it to each suite.
 */
import { API, defaultSeed, startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { AdminApiClient, adminTokenFor } from '../../helpers/admin-api.js';

export const AUDIENCE = 'https://idp.example.test/admin/v1';
export const SECRET = 'admin-client-secret-that-is-long-enough-0123456789';
export const ADMIN_USER = { username: 'root-admin', password: 'a long enough admin password' };

export interface AdminTestContext {
  op: TestProvider;
  api: AdminApiClient;
  /** Tokens by client: reader (admin:read), writer (admin:read admin:write), orders (another API). */
  tokens: { reader: string; writer: string; writeOnly: string; orders: string };
}

export function adminSeed(): Record<string, unknown> {
  const seed = defaultSeed() as { clients: Array<Record<string, unknown>>; users: Array<Record<string, unknown>> };
  const web = seed.clients.find((c) => c.client_id === WEB_CLIENT.client_id)!;
  web.resource_scopes = { ...(web.resource_scopes as object), [AUDIENCE]: ['admin:read', 'admin:write'] };
  const service = (client_id: string, scopes: Record<string, string[]>) => ({
    client_id,
    client_secret: SECRET,
    grant_types: ['client_credentials'],
    resource_scopes: scopes,
  });
  seed.clients.push(
    service('admin-reader', { [AUDIENCE]: ['admin:read'] }),
    service('admin-writer', { [AUDIENCE]: ['admin:read', 'admin:write'] }),
    service('orders-service', { [API.identifier]: API.scopes }),
  );
  seed.users.push({ username: ADMIN_USER.username, password: ADMIN_USER.password, roles: ['admin'] });
  return seed;
}

/** @param env extra settings a suite's resource needs (they apply to every suite of the file). */
export async function startAdminContext(env: Record<string, string> = {}): Promise<AdminTestContext> {
  const op = await startTestProvider({ seed: adminSeed(), env: { ADMIN_API_AUDIENCE: AUDIENCE, KEY_ROTATION_OVERLAP: '7200', ...env } });
  const api = await AdminApiClient.open(op.issuer);
  const token = (clientId: string, scope: string, audience = AUDIENCE) => adminTokenFor(op.issuer, audience, clientId, SECRET, scope);
  const tokens = {
    reader: await token('admin-reader', 'admin:read'),
    writer: await token('admin-writer', 'admin:read admin:write'),
    writeOnly: await token('admin-writer', 'admin:write'),
    orders: await token('orders-service', 'orders:read', API.identifier),
  };
  return { op, api, tokens };
}
